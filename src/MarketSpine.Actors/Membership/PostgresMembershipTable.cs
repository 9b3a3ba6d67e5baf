using System.Net;
using MarketSpine.Actors.Directory;
using Npgsql;

namespace MarketSpine.Actors.Membership;

/// <summary>
/// The cluster's membership in PostgreSQL's <c>cluster_silos</c> table (sql/postgres/101_actors_cluster.sql).
/// Every change of a silo's fate is one conditional statement, so the database serializes racing
/// silos: a heartbeat renews only a silo not declared dead, and a declaration matches only silos not
/// already dead, so of two peers declaring the same silo exactly one succeeds. A declaration deletes
/// the dead silos' <c>grain_directory</c> rows in the same statement: the moment a silo is dead its
/// grains are free to activate elsewhere, and not before.
/// </summary>
public sealed class PostgresMembershipTable(NpgsqlDataSource dataSource)
{
    private const string Columns = "silo_name, generation, endpoint, status, heartbeat_at, started_at, activation_count";

    /// <summary>
    /// Inserts <paramref name="entry"/> (status joining). Older generations of the same silo name that
    /// are not dead are declared dead by it at once, with their directory rows: a restarted pod need
    /// not wait out the death timeout of its predecessor (Orleans does the same). Dead rows whose last
    /// heartbeat is before <paramref name="expireDeadBefore"/> are deleted, so the table does not grow
    /// with every restart.
    /// </summary>
    public async Task JoinAsync(SiloEntry entry, DateTimeOffset expireDeadBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = dataSource.CreateCommand($"""
            WITH superseded AS (
                UPDATE cluster_silos SET status = 'dead', declared_dead_by = $7
                WHERE silo_name = $1 AND generation < $2 AND status <> 'dead'
                RETURNING silo_name, generation),
            purged AS (
                DELETE FROM grain_directory d USING superseded s
                WHERE d.silo_name = s.silo_name AND d.silo_generation = s.generation),
            expired AS (
                DELETE FROM cluster_silos WHERE status = 'dead' AND heartbeat_at < $8)
            INSERT INTO cluster_silos ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, 0)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Address.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Address.Generation });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Endpoint.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = ToText(entry.Status) });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.HeartbeatAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.StartedAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Address.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = expireDeadBefore.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Renews the silo's heartbeat; false when the silo has been declared dead (it must stop).</summary>
    public async Task<bool> HeartbeatAsync(SiloAddress silo, DateTimeOffset now, int activationCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        await using var command = dataSource.CreateCommand("""
            UPDATE cluster_silos SET heartbeat_at = $3, activation_count = $4
            WHERE silo_name = $1 AND generation = $2 AND status <> 'dead'
            """);
        AddSilo(command, silo);
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = activationCount });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Moves the silo to <paramref name="status"/> unless it is dead already; false when it was.
    /// A silo leaving cleanly sets itself <see cref="SiloStatus.Dead"/> once its activations are gone.
    /// </summary>
    public async Task<bool> SetStatusAsync(SiloAddress silo, SiloStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        await using var command = dataSource.CreateCommand("""
            UPDATE cluster_silos SET status = $3, declared_dead_by = CASE WHEN $3 = 'dead' THEN $4 ELSE declared_dead_by END
            WHERE silo_name = $1 AND generation = $2 AND status <> 'dead'
            """);
        AddSilo(command, silo);
        command.Parameters.Add(new NpgsqlParameter { Value = ToText(status) });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.ToString() });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Every silo that is not dead (dead rows are history; a silo missing here is gone).</summary>
    public async Task<IReadOnlyList<SiloEntry>> ReadAliveAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM cluster_silos WHERE status <> 'dead'");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<SiloEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new SiloEntry(
                new SiloAddress(reader.GetString(0), reader.GetInt64(1)),
                IPEndPoint.Parse(reader.GetString(2)),
                FromText(reader.GetString(3)),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetInt32(6)));
        }

        return entries;
    }

    /// <summary>
    /// Declares dead, in one conditional UPDATE, every silo other than <paramref name="by"/> whose last
    /// heartbeat is before <paramref name="staleBefore"/>, and deletes their directory rows in the same
    /// statement. Returns the silos this call declared (none when a peer got there first).
    /// </summary>
    public async Task<IReadOnlyList<SiloAddress>> DeclareDeadAsync(DateTimeOffset staleBefore, SiloAddress by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        await using var command = dataSource.CreateCommand("""
            WITH declared AS (
                UPDATE cluster_silos SET status = 'dead', declared_dead_by = $3
                WHERE status <> 'dead' AND heartbeat_at < $4 AND NOT (silo_name = $1 AND generation = $2)
                RETURNING silo_name, generation),
            purged AS (
                DELETE FROM grain_directory d USING declared s
                WHERE d.silo_name = s.silo_name AND d.silo_generation = s.generation)
            SELECT silo_name, generation FROM declared
            """);
        AddSilo(command, by);
        command.Parameters.Add(new NpgsqlParameter { Value = by.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = staleBefore.ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var declared = new List<SiloAddress>();
        while (await reader.ReadAsync(cancellationToken))
        {
            declared.Add(new SiloAddress(reader.GetString(0), reader.GetInt64(1)));
        }

        return declared;
    }

    private static void AddSilo(NpgsqlCommand command, SiloAddress silo)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Generation });
    }

    private static string ToText(SiloStatus status) => status switch
    {
        SiloStatus.Joining => "joining",
        SiloStatus.Active => "active",
        SiloStatus.ShuttingDown => "shutting_down",
        SiloStatus.Dead => "dead",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static SiloStatus FromText(string status) => status switch
    {
        "joining" => SiloStatus.Joining,
        "active" => SiloStatus.Active,
        "shutting_down" => SiloStatus.ShuttingDown,
        "dead" => SiloStatus.Dead,
        _ => throw new InvalidOperationException($"Unknown silo status '{status}' in cluster_silos."),
    };
}
