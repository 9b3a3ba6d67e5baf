using Microsoft.Data.Sqlite;

namespace MarketSpine.Actors.State;

/// <summary>
/// Grain states in SQLite's <c>grain_state</c> table (sql/sqlite/100_actors_runtime.sql), for the
/// single-node mode. Same conditional statements as PostgreSQL; times are Unix milliseconds.
/// A connection per operation: Microsoft.Data.Sqlite pools them.
/// </summary>
public sealed class SqliteGrainStorage(string connectionString, TimeProvider time) : IGrainStorage
{
    public async Task<StoredState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, etag FROM grain_state WHERE grain_type = $type AND grain_key = $key";
        command.Parameters.AddWithValue("$type", key.StoredType);
        command.Parameters.AddWithValue("$key", key.GrainKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredState(reader.GetString(0), reader.GetString(1)) : null;
    }

    public async Task<string> WriteAsync(GrainStateKey key, string json, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var next = ETags.New();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = etag is null
            ? """
              INSERT INTO grain_state (grain_type, grain_key, state, etag, updated_at) VALUES ($type, $key, $state, $next, $now)
              ON CONFLICT (grain_type, grain_key) DO NOTHING
              """
            : "UPDATE grain_state SET state = $state, etag = $next, updated_at = $now WHERE grain_type = $type AND grain_key = $key AND etag = $etag";
        command.Parameters.AddWithValue("$type", key.StoredType);
        command.Parameters.AddWithValue("$key", key.GrainKey);
        command.Parameters.AddWithValue("$state", json);
        command.Parameters.AddWithValue("$next", next);
        command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
        if (etag is not null)
        {
            command.Parameters.AddWithValue("$etag", etag);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? next : throw ETags.Stale(key, etag, "write");
    }

    public async Task ClearAsync(GrainStateKey key, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = etag is null
            ? "SELECT NOT EXISTS (SELECT 1 FROM grain_state WHERE grain_type = $type AND grain_key = $key)"
            : "DELETE FROM grain_state WHERE grain_type = $type AND grain_key = $key AND etag = $etag RETURNING 1";
        command.Parameters.AddWithValue("$type", key.StoredType);
        command.Parameters.AddWithValue("$key", key.GrainKey);
        if (etag is not null)
        {
            command.Parameters.AddWithValue("$etag", etag);
        }

        if (await command.ExecuteScalarAsync(cancellationToken) is not 1L)
        {
            throw ETags.Stale(key, etag, "clear");
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
