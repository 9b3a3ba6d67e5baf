using MarketSpine.Actors.Grains;
using Microsoft.Data.Sqlite;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// Reminders in SQLite's <c>grain_reminders</c> table (sql/sqlite/100_actors_runtime.sql), for the
/// single-node mode. SQLite has no row locks to skip; claiming is one <c>UPDATE ... RETURNING</c>
/// statement, which SQLite runs atomically under its write lock. Times are Unix milliseconds.
/// </summary>
public sealed class SqliteReminderTable(string connectionString) : IReminderTable
{
    private const string Columns =
        "grain_type, grain_key, reminder_name, schedule_kind, due_at, period_ms, cron_expression, time_zone, "
        + "missed_policy, catch_up_limit, missed_threshold_ms, next_due, last_acked_due, etag";

    public async Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM grain_reminders WHERE grain_type = $type AND grain_key = $key AND reminder_name = $name";
        AddKey(command, grain, name);
        var entries = await ReadEntriesAsync(command, cancellationToken);
        return entries.Count == 0 ? null : entries[0];
    }

    public async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(GrainId grain, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM grain_reminders WHERE grain_type = $type AND grain_key = $key ORDER BY reminder_name";
        command.Parameters.AddWithValue("$type", grain.Type);
        command.Parameters.AddWithValue("$key", grain.Key);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    public async Task UpsertAsync(ReminderEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var columns = ReminderColumns.From(entry.Schedule, entry.Policy);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO grain_reminders (grain_type, grain_key, reminder_name, schedule_kind, due_at, period_ms, cron_expression, time_zone,
                                         missed_policy, catch_up_limit, missed_threshold_ms, next_due, etag, updated_at)
            VALUES ($type, $key, $name, $kind, $due_at, $period, $cron, $zone, $policy, $limit, $threshold, $next, $etag, $now)
            ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET
                schedule_kind = excluded.schedule_kind, due_at = excluded.due_at, period_ms = excluded.period_ms,
                cron_expression = excluded.cron_expression, time_zone = excluded.time_zone, missed_policy = excluded.missed_policy,
                catch_up_limit = excluded.catch_up_limit, missed_threshold_ms = excluded.missed_threshold_ms,
                next_due = excluded.next_due, etag = excluded.etag, updated_at = excluded.updated_at
            """;
        AddKey(command, entry.Grain, entry.Name);
        command.Parameters.AddWithValue("$kind", columns.Kind);
        command.Parameters.AddWithValue("$due_at", (object?)columns.DueAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$period", (object?)columns.PeriodMs ?? DBNull.Value);
        command.Parameters.AddWithValue("$cron", (object?)columns.Cron ?? DBNull.Value);
        command.Parameters.AddWithValue("$zone", (object?)columns.TimeZone ?? DBNull.Value);
        command.Parameters.AddWithValue("$policy", columns.Policy);
        command.Parameters.AddWithValue("$limit", columns.CatchUpLimit);
        command.Parameters.AddWithValue("$threshold", columns.ThresholdMs);
        command.Parameters.AddWithValue("$next", (object?)entry.NextDue?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$etag", entry.Etag);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RemoveAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grain_reminders WHERE grain_type = $type AND grain_key = $key AND reminder_name = $name";
        AddKey(command, grain, name);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(DateTimeOffset now, string silo, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE grain_reminders SET claimed_by = $silo, claimed_until = $until
            WHERE rowid IN (
                SELECT rowid FROM grain_reminders
                WHERE next_due <= $now AND (claimed_until IS NULL OR claimed_until < $now)
                ORDER BY next_due
                LIMIT $limit)
            RETURNING {Columns}
            """;
        command.Parameters.AddWithValue("$silo", silo);
        command.Parameters.AddWithValue("$until", leaseUntil.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    public async Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT min(next_due) FROM grain_reminders WHERE next_due > $time";
        command.Parameters.AddWithValue("$time", time.ToUnixTimeMilliseconds());
        return await command.ExecuteScalarAsync(cancellationToken) is long next ? DateTimeOffset.FromUnixTimeMilliseconds(next) : null;
    }

    public async Task<IReadOnlyList<bool>> AcknowledgeAsync(IReadOnlyList<ReminderAcknowledgement> acknowledgements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(acknowledgements);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var results = new List<bool>(acknowledgements.Count);
        foreach (var acknowledgement in acknowledgements)
        {
            results.Add(await AcknowledgeAsync(connection, transaction, acknowledgement, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    public async Task<IReadOnlyList<bool>> ReleaseAsync(IReadOnlyList<ReminderRelease> releases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(releases);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var results = new List<bool>(releases.Count);
        foreach (var release in releases)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                UPDATE grain_reminders SET claimed_by = NULL, claimed_until = $from
                WHERE grain_type = $type AND grain_key = $key AND reminder_name = $name AND claimed_by = $silo
                """;
            AddKey(command, release.Entry.Grain, release.Entry.Name);
            command.Parameters.AddWithValue("$from", release.ClaimableFrom.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$silo", release.Silo);
            results.Add(await command.ExecuteNonQueryAsync(cancellationToken) == 1);
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    public async Task<int> ReleaseAllAsync(string silo, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE grain_reminders SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $silo";
        command.Parameters.AddWithValue("$silo", silo);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> AcknowledgeAsync(
        SqliteConnection connection, SqliteTransaction transaction, ReminderAcknowledgement acknowledgement, CancellationToken cancellationToken)
    {
        var (entry, silo, due, nextDue, release) = acknowledgement;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = nextDue is null
                ? "DELETE FROM grain_reminders WHERE grain_type = $type AND grain_key = $key AND reminder_name = $name AND etag = $etag AND claimed_by = $silo"
                : """
                  UPDATE grain_reminders SET last_acked_due = $due, next_due = $next,
                      claimed_by = CASE WHEN $release THEN NULL ELSE claimed_by END,
                      claimed_until = CASE WHEN $release THEN NULL ELSE claimed_until END
                  WHERE grain_type = $type AND grain_key = $key AND reminder_name = $name AND etag = $etag AND claimed_by = $silo
                  """;
            AddKey(command, entry.Grain, entry.Name);
            command.Parameters.AddWithValue("$etag", entry.Etag);
            command.Parameters.AddWithValue("$silo", silo);
            if (nextDue is not null)
            {
                command.Parameters.AddWithValue("$due", due.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$next", nextDue.Value.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$release", release);
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return true;
            }
        }

        await using var fallback = connection.CreateCommand();
        fallback.Transaction = transaction;
        fallback.CommandText = """
            UPDATE grain_reminders SET last_acked_due = max(coalesce(last_acked_due, $due), $due), claimed_by = NULL, claimed_until = NULL
            WHERE grain_type = $type AND grain_key = $key AND reminder_name = $name AND claimed_by = $silo
            """;
        AddKey(fallback, entry.Grain, entry.Name);
        fallback.Parameters.AddWithValue("$due", due.ToUnixTimeMilliseconds());
        fallback.Parameters.AddWithValue("$silo", silo);
        await fallback.ExecuteNonQueryAsync(cancellationToken);
        return false;
    }

    private static void AddKey(SqliteCommand command, GrainId grain, string name)
    {
        command.Parameters.AddWithValue("$type", grain.Type);
        command.Parameters.AddWithValue("$key", grain.Key);
        command.Parameters.AddWithValue("$name", name);
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static async Task<IReadOnlyList<ReminderEntry>> ReadEntriesAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var columns = new ReminderColumns(
                reader.GetString(3), Time(reader, 4), reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8), reader.GetInt32(9), reader.GetInt64(10));
            entries.Add(new ReminderEntry(
                new GrainId(reader.GetString(0), reader.GetString(1)), reader.GetString(2), columns.ToSchedule(), columns.ToPolicy(),
                Time(reader, 11), Time(reader, 12), reader.GetString(13)));
        }

        return entries;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
