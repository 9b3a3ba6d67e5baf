using System.Data.Common;
using MarketSpine.Actors.Grains;
using Npgsql;
using NpgsqlTypes;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// Reminders in PostgreSQL's <c>grain_reminders</c> table (sql/postgres/100_actors_runtime.sql).
/// Claiming takes due rows with <c>FOR UPDATE SKIP LOCKED</c>, so several silos polling at once each
/// get different rows and none waits on another's locks; the partial index on <c>next_due</c> keeps
/// the poll an index scan however many reminders are registered.
/// </summary>
public sealed class PostgresReminderTable(NpgsqlDataSource dataSource) : IReminderTable
{
    private const string Columns =
        "grain_type, grain_key, reminder_name, schedule_kind, due_at, period_ms, cron_expression, time_zone, "
        + "missed_policy, catch_up_limit, missed_threshold_ms, next_due, last_acked_due, etag";

    public async Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM grain_reminders WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3");
        AddKey(command, grain, name);
        var entries = await ReadEntriesAsync(command, cancellationToken);
        return entries.Count == 0 ? null : entries[0];
    }

    public async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(GrainId grain, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM grain_reminders WHERE grain_type = $1 AND grain_key = $2 ORDER BY reminder_name");
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = grain.Key });
        return await ReadEntriesAsync(command, cancellationToken);
    }

    public async Task UpsertAsync(ReminderEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var columns = ReminderColumns.From(entry.Schedule, entry.Policy);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO grain_reminders (grain_type, grain_key, reminder_name, schedule_kind, due_at, period_ms, cron_expression, time_zone,
                                         missed_policy, catch_up_limit, missed_threshold_ms, next_due, etag, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET
                schedule_kind = excluded.schedule_kind, due_at = excluded.due_at, period_ms = excluded.period_ms,
                cron_expression = excluded.cron_expression, time_zone = excluded.time_zone, missed_policy = excluded.missed_policy,
                catch_up_limit = excluded.catch_up_limit, missed_threshold_ms = excluded.missed_threshold_ms,
                next_due = excluded.next_due, etag = excluded.etag, updated_at = excluded.updated_at
            """);
        AddKey(command, entry.Grain, entry.Name);
        Add(command, columns.Kind);
        Add(command, columns.DueAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        Add(command, columns.PeriodMs, NpgsqlDbType.Bigint);
        Add(command, columns.Cron);
        Add(command, columns.TimeZone);
        Add(command, columns.Policy);
        Add(command, columns.CatchUpLimit);
        Add(command, columns.ThresholdMs);
        Add(command, entry.NextDue?.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        Add(command, entry.Etag);
        Add(command, now.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RemoveAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM grain_reminders WHERE grain_type = $1 AND grain_key = $2 AND reminder_name = $3");
        AddKey(command, grain, name);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(DateTimeOffset now, string silo, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH due AS (
                SELECT grain_type, grain_key, reminder_name FROM grain_reminders
                WHERE next_due <= $1 AND (claimed_until IS NULL OR claimed_until < $1)
                ORDER BY next_due
                LIMIT $4
                FOR UPDATE SKIP LOCKED)
            UPDATE grain_reminders AS r SET claimed_by = $2, claimed_until = $3
            FROM due
            WHERE r.grain_type = due.grain_type AND r.grain_key = due.grain_key AND r.reminder_name = due.reminder_name
            RETURNING {string.Join(", ", Columns.Split(", ").Select(c => "r." + c))}
            """);
        Add(command, now.ToUniversalTime());
        Add(command, silo);
        Add(command, leaseUntil.ToUniversalTime());
        Add(command, limit);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    public async Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        // "next_due > $1" implies "next_due IS NOT NULL": min() is the first entry of the partial index after $1.
        await using var command = dataSource.CreateCommand("SELECT min(next_due) FROM grain_reminders WHERE next_due > $1");
        Add(command, time.ToUniversalTime());
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime next ? new DateTimeOffset(next, TimeSpan.Zero) : null;
    }

    /// <summary>
    /// One statement for the whole batch: moved rows (schedule goes on), finished rows (deleted), and
    /// superseded rows (re-registered meanwhile: the tick is recorded as handled, the new schedule
    /// kept, the claim let go) are disjoint, so the three data-modifying parts never touch one row twice.
    /// </summary>
    public async Task<IReadOnlyList<bool>> AcknowledgeAsync(IReadOnlyList<ReminderAcknowledgement> acknowledgements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(acknowledgements);
        if (acknowledgements.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand("""
            WITH acks AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::boolean[])
                    AS a(grain_type, grain_key, reminder_name, etag, silo, due, next_due, release)),
            moved AS (
                UPDATE grain_reminders AS r SET last_acked_due = a.due, next_due = a.next_due,
                    claimed_by = CASE WHEN a.release THEN NULL ELSE r.claimed_by END,
                    claimed_until = CASE WHEN a.release THEN NULL ELSE r.claimed_until END
                FROM acks AS a
                WHERE r.grain_type = a.grain_type AND r.grain_key = a.grain_key AND r.reminder_name = a.reminder_name
                  AND r.etag = a.etag AND r.claimed_by = a.silo AND a.next_due IS NOT NULL
                RETURNING r.grain_type, r.grain_key, r.reminder_name),
            finished AS (
                DELETE FROM grain_reminders AS r USING acks AS a
                WHERE r.grain_type = a.grain_type AND r.grain_key = a.grain_key AND r.reminder_name = a.reminder_name
                  AND r.etag = a.etag AND r.claimed_by = a.silo AND a.next_due IS NULL
                RETURNING r.grain_type, r.grain_key, r.reminder_name),
            superseded AS (
                UPDATE grain_reminders AS r SET last_acked_due = GREATEST(COALESCE(r.last_acked_due, a.due), a.due), claimed_by = NULL, claimed_until = NULL
                FROM acks AS a
                WHERE r.grain_type = a.grain_type AND r.grain_key = a.grain_key AND r.reminder_name = a.reminder_name
                  AND r.etag <> a.etag AND r.claimed_by = a.silo)
            SELECT grain_type, grain_key, reminder_name FROM moved
            UNION ALL
            SELECT grain_type, grain_key, reminder_name FROM finished
            """);
        AddKeys(command, acknowledgements.Select(a => a.Entry));
        AddArray(command, acknowledgements.Select(a => a.Entry.Etag), NpgsqlDbType.Text);
        AddArray(command, acknowledgements.Select(a => a.Silo), NpgsqlDbType.Text);
        AddArray(command, acknowledgements.Select(a => a.Due.ToUniversalTime()), NpgsqlDbType.TimestampTz);
        AddArray(command, acknowledgements.Select(a => a.NextDue?.ToUniversalTime()), NpgsqlDbType.TimestampTz);
        AddArray(command, acknowledgements.Select(a => a.Release), NpgsqlDbType.Boolean);
        var handled = await ReadKeysAsync(command, cancellationToken);
        return [.. acknowledgements.Select(a => handled.Contains((a.Entry.Grain.Type, a.Entry.Grain.Key, a.Entry.Name)))];
    }

    public async Task<IReadOnlyList<bool>> ReleaseAsync(IReadOnlyList<ReminderRelease> releases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(releases);
        if (releases.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand("""
            UPDATE grain_reminders AS r SET claimed_by = NULL, claimed_until = l.claimable_from
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS l(grain_type, grain_key, reminder_name, silo, claimable_from)
            WHERE r.grain_type = l.grain_type AND r.grain_key = l.grain_key AND r.reminder_name = l.reminder_name AND r.claimed_by = l.silo
            RETURNING r.grain_type, r.grain_key, r.reminder_name
            """);
        AddKeys(command, releases.Select(r => r.Entry));
        AddArray(command, releases.Select(r => r.Silo), NpgsqlDbType.Text);
        AddArray(command, releases.Select(r => r.ClaimableFrom.ToUniversalTime()), NpgsqlDbType.TimestampTz);
        var released = await ReadKeysAsync(command, cancellationToken);
        return [.. releases.Select(r => released.Contains((r.Entry.Grain.Type, r.Entry.Grain.Key, r.Entry.Name)))];
    }

    public async Task<int> ReleaseAllAsync(string silo, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE grain_reminders SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1");
        Add(command, silo);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddKeys(NpgsqlCommand command, IEnumerable<ReminderEntry> entries)
    {
        var list = entries.ToList();
        AddArray(command, list.Select(e => e.Grain.Type), NpgsqlDbType.Text);
        AddArray(command, list.Select(e => e.Grain.Key), NpgsqlDbType.Text);
        AddArray(command, list.Select(e => e.Name), NpgsqlDbType.Text);
    }

    private static void AddArray<T>(NpgsqlCommand command, IEnumerable<T> values, NpgsqlDbType elementType) =>
        command.Parameters.Add(new NpgsqlParameter { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | elementType });

    private static async Task<HashSet<(string Type, string Key, string Name)>> ReadKeysAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new HashSet<(string Type, string Key, string Name)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return keys;
    }

    private static void AddKey(NpgsqlCommand command, GrainId grain, string name)
    {
        Add(command, grain.Type);
        Add(command, grain.Key);
        Add(command, name);
    }

    private static void Add(NpgsqlCommand command, object? value, NpgsqlDbType typeWhenNull = NpgsqlDbType.Text) =>
        command.Parameters.Add(value is null
            ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = typeWhenNull }
            : new NpgsqlParameter { Value = value });

    private static async Task<IReadOnlyList<ReminderEntry>> ReadEntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    private static ReminderEntry ReadEntry(DbDataReader reader)
    {
        var columns = new ReminderColumns(
            reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            reader.IsDBNull(5) ? null : reader.GetInt64(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.GetString(8),
            reader.GetInt32(9),
            reader.GetInt64(10));
        return new ReminderEntry(
            new GrainId(reader.GetString(0), reader.GetString(1)),
            reader.GetString(2),
            columns.ToSchedule(),
            columns.ToPolicy(),
            reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
            reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
            reader.GetString(13));
    }
}
