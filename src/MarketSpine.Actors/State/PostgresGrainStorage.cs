using Npgsql;
using NpgsqlTypes;

namespace MarketSpine.Actors.State;

/// <summary>
/// Grain states in PostgreSQL's <c>grain_state</c> table (sql/postgres/100_actors_runtime.sql).
/// The ETag check is part of the one statement that writes: an <c>INSERT ... ON CONFLICT DO NOTHING</c>
/// for a grain with no row yet, an <c>UPDATE ... WHERE etag = @expected</c> otherwise; zero rows
/// affected means another writer got there first.
/// </summary>
public sealed class PostgresGrainStorage(NpgsqlDataSource dataSource, TimeProvider time) : IGrainStorage
{
    public async Task<StoredState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = dataSource.CreateCommand("SELECT state::text, etag FROM grain_state WHERE grain_type = $1 AND grain_key = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = key.StoredType });
        command.Parameters.Add(new NpgsqlParameter { Value = key.GrainKey });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredState(reader.GetString(0), reader.GetString(1)) : null;
    }

    public async Task<string> WriteAsync(GrainStateKey key, string json, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var next = ETags.New();
        await using var command = dataSource.CreateCommand(etag is null
            ? """
              INSERT INTO grain_state (grain_type, grain_key, state, etag, updated_at) VALUES ($1, $2, $3, $4, $5)
              ON CONFLICT (grain_type, grain_key) DO NOTHING
              """
            : "UPDATE grain_state SET state = $3, etag = $4, updated_at = $5 WHERE grain_type = $1 AND grain_key = $2 AND etag = $6");
        command.Parameters.Add(new NpgsqlParameter { Value = key.StoredType });
        command.Parameters.Add(new NpgsqlParameter { Value = key.GrainKey });
        command.Parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = next });
        command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        if (etag is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = etag });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? next : throw ETags.Stale(key, etag, "write");
    }

    public async Task ClearAsync(GrainStateKey key, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = dataSource.CreateCommand(etag is null
            ? "SELECT NOT EXISTS (SELECT 1 FROM grain_state WHERE grain_type = $1 AND grain_key = $2)"
            : "WITH deleted AS (DELETE FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND etag = $3 RETURNING 1) SELECT EXISTS (SELECT 1 FROM deleted)");
        command.Parameters.Add(new NpgsqlParameter { Value = key.StoredType });
        command.Parameters.Add(new NpgsqlParameter { Value = key.GrainKey });
        if (etag is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = etag });
        }

        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            throw ETags.Stale(key, etag, "clear");
        }
    }
}
