using MarketSpine.Actors.Grains;
using Npgsql;
using NpgsqlTypes;

namespace MarketSpine.Actors.Directory;

/// <summary>
/// The cluster's grain directory in PostgreSQL's <c>grain_directory</c> table
/// (sql/postgres/101_actors_cluster.sql), one row per grain: the first silo to insert the row owns the
/// grain, and a silo activates a grain only when its own activation comes back from
/// <see cref="RegisterAsync"/> (strict single activation, as Orleans' ADO.NET directory, rather than its
/// default eventually consistent one). A row owned by a silo that is not alive in <c>cluster_silos</c>
/// counts as absent: lookups skip it and a registration replaces it, conditionally, so that two silos
/// replacing the same dead owner still leave one winner. Registrations made at the same moment go to
/// the database together (<see cref="RegistrationBatcher"/>).
/// </summary>
public sealed class PostgresGrainDirectory : IGrainDirectory
{
    // A registration races at most with the one statement that changed the row after its snapshot;
    // a few rounds settle any realistic contention, and more would mean a bug, not bad luck.
    private const int MaxRounds = 4;

    // Only caps the size of one statement; batches grow toward it only when registrations pile up.
    private const int MaxBatch = 256;

    // Batches of different silos lock the rows they touch; in key order both ways, they cannot deadlock.
    // One that loses to a purge of a dead silo's rows (which locks in another order) is run again.
    private const int DeadlockRetries = 3;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly RegistrationBatcher _batcher;

    public PostgresGrainDirectory(NpgsqlDataSource dataSource, TimeProvider time)
    {
        _dataSource = dataSource;
        _time = time;
        _batcher = new RegistrationBatcher(RegisterBatchAsync, MaxBatch);
    }

    public async ValueTask<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        for (var round = 0; round < MaxRounds; round++)
        {
            if (await _batcher.RegisterAsync(address).WaitAsync(cancellationToken) is { } registered)
            {
                return registered;
            }
        }

        throw new InvalidOperationException($"The directory row of {address.Grain} changed under {MaxRounds} registrations in a row.");
    }

    public async ValueTask<GrainAddress?> LookupAsync(GrainId grain, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT silo_name, silo_generation, activation_id FROM grain_directory d
            WHERE grain_type = $1 AND grain_key = $2 AND {OwnerAlive("d")}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new GrainAddress(grain, new SiloAddress(reader.GetString(0), reader.GetInt64(1)), reader.GetGuid(2))
            : null;
    }

    public async ValueTask UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        await using var command = _dataSource.CreateCommand("DELETE FROM grain_directory WHERE grain_type = $1 AND grain_key = $2 AND activation_id = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = address.Grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = address.Grain.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = address.ActivationId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string OwnerAlive(string row) => $"""
        EXISTS (SELECT 1 FROM cluster_silos s
                WHERE s.silo_name = {row}.silo_name AND s.generation = {row}.silo_generation AND s.status <> 'dead')
        """;

    /// <summary>
    /// One statement for a batch of grains (distinct): the upsert inserts each row, or replaces a dead
    /// owner's; for the others the UNION branch returns the live owner's row. The branch reads the
    /// statement's snapshot, which misses a row written by a racing statement after it began, or shows
    /// the version that racing statement replaced (a dead owner's, so it is filtered out); such a grain
    /// gets no row back, and its next round, with a fresh snapshot, sees the winner.
    /// </summary>
    private async Task<IReadOnlyDictionary<GrainId, GrainAddress>> RegisterBatchAsync(IReadOnlyList<GrainAddress> batch, CancellationToken cancellationToken)
    {
        var ordered = batch.OrderBy(a => a.Grain.Type, StringComparer.Ordinal).ThenBy(a => a.Grain.Key, StringComparer.Ordinal).ToList();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await RunBatchAsync(ordered, cancellationToken);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < DeadlockRetries)
            {
                // Run it again: the other transaction has finished.
            }
        }
    }

    private async Task<IReadOnlyDictionary<GrainId, GrainAddress>> RunBatchAsync(List<GrainAddress> ordered, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::uuid[]) WITH ORDINALITY
                    AS i(grain_type, grain_key, silo_name, silo_generation, activation_id, position)),
            attempt AS (
                INSERT INTO grain_directory (grain_type, grain_key, silo_name, silo_generation, activation_id, registered_at)
                SELECT grain_type, grain_key, silo_name, silo_generation, activation_id, $6 FROM input ORDER BY position
                ON CONFLICT (grain_type, grain_key) DO UPDATE SET
                    silo_name = excluded.silo_name, silo_generation = excluded.silo_generation,
                    activation_id = excluded.activation_id, registered_at = excluded.registered_at
                WHERE NOT {OwnerAlive("grain_directory")}
                RETURNING grain_type, grain_key, silo_name, silo_generation, activation_id)
            SELECT grain_type, grain_key, silo_name, silo_generation, activation_id FROM attempt
            UNION ALL
            SELECT d.grain_type, d.grain_key, d.silo_name, d.silo_generation, d.activation_id
            FROM grain_directory d JOIN input i ON d.grain_type = i.grain_type AND d.grain_key = i.grain_key
            WHERE {OwnerAlive("d")}
              AND NOT EXISTS (SELECT 1 FROM attempt a WHERE a.grain_type = d.grain_type AND a.grain_key = d.grain_key)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(a => a.Grain.Type).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(a => a.Grain.Key).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(a => a.Silo.Name).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(a => a.Silo.Generation).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = ordered.Select(a => a.ActivationId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = _time.GetUtcNow() });
        var registered = new Dictionary<GrainId, GrainAddress>(ordered.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var grain = new GrainId(reader.GetString(0), reader.GetString(1));
            registered[grain] = new GrainAddress(grain, new SiloAddress(reader.GetString(2), reader.GetInt64(3)), reader.GetGuid(4));
        }

        return registered;
    }
}
