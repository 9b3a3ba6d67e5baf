using System.Data.Common;
using System.Text;
using System.Text.Json;
using MarketSpine.Core.Data;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;

namespace MarketSpine.Storage.Executions;

/// <summary>
/// Executions, their events and logs, and dead letters on SQLite or PostgreSQL, in portable SQL but
/// for the batched writes on PostgreSQL (<see cref="PostgresExecutionBatches"/>). Each change is the
/// row's update, guarded by the version it was read at, the events it appends and the dead letter it
/// files, all or nothing; a batch of them is one transaction.
/// </summary>
public sealed class SqlExecutionStore(ISpineDatabase database) : IExecutionStore
{
    private const string Columns =
        "execution_id, pipeline, params_json, status, lane, trigger_source, logical_key, idempotency_key, created_at, started_at, completed_at, "
        + "metrics_json, outputs_json, quality_json, reject_count, error_json, attempt, max_attempts, parent_execution_id, retry_of, queued_at, "
        + "next_attempt_at, updated_at, progress_step, progress_completed, progress_total, version, event_count, retry_json, run_timeout_ms, watched";

    private const string DeadLetterColumns =
        "dead_letter_id, execution_id, pipeline, params_json, lane, logical_key, attempts, error_json, dead_lettered_at, status, retried_as, resolved_at";

    /// <summary>SQLite's (PostgreSQL files dead letters with the rest of a batch).</summary>
    private const string InsertDeadLetterSql =
        $"INSERT INTO dead_letters ({DeadLetterColumns}, error_code, error_message) "
        + "VALUES (@dl_id, @dl_execution_id, @dl_pipeline, @dl_params, @dl_lane, @dl_logical_key, @dl_attempts, @dl_error, @dl_at, 'open', NULL, NULL, @dl_error_code, @dl_error_message)";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<ExecutionRecord?>> CreateAllAsync(IReadOnlyList<NewExecution> executions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executions);
        if (executions.Count == 0)
        {
            return [];
        }

        var created = database.Dialect == SqlDialect.Postgres
            ? await CreateOnPostgresAsync(executions, cancellationToken)
            : await CreateOnSqliteAsync(executions, cancellationToken);
        var answers = new ExecutionRecord?[executions.Count];
        for (var i = 0; i < executions.Count; i++)
        {
            var record = executions[i].Record;
            if (!created.Contains(record.ExecutionId))
            {
                // Nothing stored: the id is taken (this very execution, submitted again), or the idempotency key is.
                answers[i] = await FindAsync(record.ExecutionId, cancellationToken)
                             ?? (record.IdempotencyKey is { } key ? await FindByIdempotencyKeyAsync(key, cancellationToken) : null)
                             ?? throw new InvalidOperationException($"Execution {record.ExecutionId} conflicted on insert, yet neither its id nor its idempotency key is taken.");
            }
        }

        return answers;
    }

    public async Task ApplyAsync(ExecutionChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!(await ApplyAllAsync([change], cancellationToken))[0])
        {
            throw new InvalidStateError(ErrorCodes.InvalidState,
                $"Execution {change.Record.ExecutionId} changed since version {change.ExpectedVersion} was read (or does not exist); this writer is stale.",
                new Dictionary<string, object?> { ["execution_id"] = change.Record.ExecutionId, ["expected_version"] = change.ExpectedVersion });
        }
    }

    public async Task<IReadOnlyList<bool>> ApplyAllAsync(IReadOnlyList<ExecutionChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return [];
        }

        if (changes.Select(c => c.Record.ExecutionId).Distinct(StringComparer.Ordinal).Count() != changes.Count)
        {
            // One statement updates a row once: a second change of an execution would be lost, not refused.
            throw new ArgumentException("A batch of changes holds at most one change per execution.", nameof(changes));
        }

        var applied = database.Dialect == SqlDialect.Postgres
            ? await ApplyOnPostgresAsync(changes, cancellationToken)
            : await ApplyOnSqliteAsync(changes, cancellationToken);
        return [.. changes.Select(c => applied.Contains(c.Record.ExecutionId))];
    }

    public Task<IReadOnlyList<string>> ListUnwatchedAsync(DateTimeOffset changedBefore, int limit, CancellationToken cancellationToken) =>
        // The status index (ix_executions_status_created) reaches the unfinished executions without
        // reading the finished ones, which are nearly all: no index of its own is kept up on every write.
        QueryAsync(
            """
            SELECT execution_id FROM executions
            WHERE status IN ('pending', 'queued', 'running', 'cancelling', 'failed') AND NOT watched AND updated_at < @before
            ORDER BY updated_at
            LIMIT @limit
            """,
            c => c.WithParameter("@before", changedBefore).WithParameter("@limit", limit),
            reader => reader.GetString(0),
            cancellationToken);

    public async Task<long> CountNotStartedAsync(CancellationToken cancellationToken)
    {
        // Answered from ix_executions_status_created: the count reads index entries of two statuses only.
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("SELECT COUNT(*) FROM executions WHERE status IN ('pending', 'queued')");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<ExecutionRecord?> FindAsync(string executionId, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM executions WHERE execution_id = @id", c => c.WithParameter("@id", executionId), ReadExecution, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<ExecutionRecord?>> FindAllAsync(IReadOnlyList<string> executionIds, CancellationToken cancellationToken)
    {
        var found = await QueryByExecutionIdsAsync($"SELECT {Columns} FROM executions", executionIds, ReadExecution, cancellationToken);
        return InOrder(executionIds, found, record => record.ExecutionId);
    }

    public async Task<ExecutionRecord?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM executions WHERE idempotency_key = @key", c => c.WithParameter("@key", idempotencyKey), ReadExecution, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<ExecutionRecord>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = new List<(string Sql, string Name, object Value)>();
        if (query.Status is { } status)
        {
            filters.Add(("status = @status", "@status", status.ToText()));
        }

        if (query.Pipeline is { } pipeline)
        {
            filters.Add(("pipeline = @pipeline", "@pipeline", pipeline));
        }

        if (query.LogicalKey is { } logicalKey)
        {
            filters.Add(("logical_key = @logical_key", "@logical_key", logicalKey));
        }

        if (query.ParentExecutionId is { } parent)
        {
            filters.Add(("parent_execution_id = @parent", "@parent", parent));
        }

        if (query.Since is { } since)
        {
            filters.Add(("created_at >= @since", "@since", since));
        }

        if (query.Until is { } until)
        {
            filters.Add(("created_at < @until", "@until", until));
        }

        if (query.Before is { } before)
        {
            // Ids sort by creation time: the keyset cursor needs no second column.
            filters.Add(("execution_id < @before", "@before", before));
        }

        var where = filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters.Select(f => f.Sql));
        return QueryAsync($"SELECT {Columns} FROM executions {where} ORDER BY execution_id DESC LIMIT @limit", command =>
        {
            foreach (var (_, name, value) in filters)
            {
                command.WithParameter(name, value);
            }

            command.WithParameter("@limit", query.Limit);
        }, ReadExecution, cancellationToken);
    }

    public Task<IReadOnlyList<ExecutionEvent>> EventsAsync(string executionId, long afterSequence, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT execution_id, seq, event_type, at, attempt, data_json FROM execution_events WHERE execution_id = @id AND seq > @after ORDER BY seq LIMIT @limit",
            c => c.WithParameter("@id", executionId).WithParameter("@after", afterSequence).WithParameter("@limit", limit),
            reader => new ExecutionEvent(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetInt32(4), Deserialize<Dictionary<string, string>>(reader.GetString(5))),
            cancellationToken);

    public async Task AppendLogsAsync(string executionId, IReadOnlyList<ExecutionLogLine> lines, int keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long last;
        await using (var max = connection.Command("SELECT COALESCE(MAX(seq), 0) FROM execution_logs WHERE execution_id = @id", transaction))
        {
            max.WithParameter("@id", executionId);
            last = Convert.ToInt64(await max.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        var sql = new StringBuilder("INSERT INTO execution_logs (execution_id, seq, at, attempt, level, message) VALUES ");
        await using (var insert = connection.Command("", transaction))
        {
            insert.WithParameter("@id", executionId);
            for (var i = 0; i < lines.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture, $"(@id, @s{i}, @t{i}, @a{i}, @l{i}, @m{i})");
                insert.WithParameter($"@s{i}", last + i + 1)
                    .WithParameter($"@t{i}", lines[i].At)
                    .WithParameter($"@a{i}", lines[i].Attempt)
                    .WithParameter($"@l{i}", lines[i].Level)
                    .WithParameter($"@m{i}", lines[i].Message);
            }

            insert.CommandText = sql.ToString();
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (last + lines.Count > keep)
        {
            await using var rotate = connection.Command("DELETE FROM execution_logs WHERE execution_id = @id AND seq <= @oldest", transaction);
            rotate.WithParameter("@id", executionId).WithParameter("@oldest", last + lines.Count - keep);
            await rotate.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<ExecutionLogLine>> LogsAsync(string executionId, long afterSequence, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT execution_id, seq, at, attempt, level, message FROM execution_logs WHERE execution_id = @id AND seq > @after ORDER BY seq LIMIT @limit",
            c => c.WithParameter("@id", executionId).WithParameter("@after", afterSequence).WithParameter("@limit", limit),
            reader => new ExecutionLogLine(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3),
                reader.GetString(4), reader.GetString(5)),
            cancellationToken);

    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filters = new List<(string Sql, string Name, object Value)>();
        if (query.Status is { } status)
        {
            filters.Add(("status = @status", "@status", status.ToString().ToLowerInvariant()));
        }

        if (query.Pipeline is { } pipeline)
        {
            filters.Add(("pipeline = @pipeline", "@pipeline", pipeline));
        }

        if (query.Before is { } before)
        {
            filters.Add(("dead_letter_id < @before", "@before", before));
        }

        var where = filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters.Select(f => f.Sql));
        return QueryAsync($"SELECT {DeadLetterColumns} FROM dead_letters {where} ORDER BY dead_letter_id DESC LIMIT @limit", command =>
        {
            foreach (var (_, name, value) in filters)
            {
                command.WithParameter(name, value);
            }

            command.WithParameter("@limit", query.Limit);
        }, ReadDeadLetter, cancellationToken);
    }

    public async Task<DeadLetter?> FindDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {DeadLetterColumns} FROM dead_letters WHERE dead_letter_id = @id", c => c.WithParameter("@id", deadLetterId), ReadDeadLetter, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<IReadOnlyList<string?>> DeadLetterIdsAsync(IReadOnlyList<string> executionIds, CancellationToken cancellationToken)
    {
        var found = await QueryByExecutionIdsAsync(
            "SELECT execution_id, dead_letter_id FROM dead_letters", executionIds, reader => new DeadLetterOf(reader.GetString(0), reader.GetString(1)), cancellationToken);
        return [.. InOrder(executionIds, found, row => row.ExecutionId).Select(row => row?.DeadLetterId)];
    }

    public async Task<bool> ResolveDeadLetterAsync(string deadLetterId, DeadLetterStatus status, string? retriedAs, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE dead_letters SET status = @status, retried_as = @retried_as, resolved_at = @at WHERE dead_letter_id = @id AND status = 'open'");
        command.WithParameter("@id", deadLetterId)
            .WithParameter("@status", status.ToString().ToLowerInvariant())
            .WithParameter("@retried_as", retriedAs)
            .WithParameter("@at", at);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    internal static string LaneText(Lane lane) => lane.ToString().ToLowerInvariant();

    private async Task<HashSet<string>> CreateOnPostgresAsync(IReadOnlyList<NewExecution> executions, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await PostgresExecutionBatches.CreateAsync(connection, executions, Json, cancellationToken);
    }

    private async Task<HashSet<string>> ApplyOnPostgresAsync(IReadOnlyList<ExecutionChange> changes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await PostgresExecutionBatches.ApplyAsync(connection, changes, Json, cancellationToken);
    }

    private async Task<HashSet<string>> CreateOnSqliteAsync(IReadOnlyList<NewExecution> executions, CancellationToken cancellationToken)
    {
        const string Insert = """
            INSERT INTO executions (execution_id, pipeline, params_json, status, lane, trigger_source, logical_key, idempotency_key, created_at,
                                    completed_at, error_code, error_message, error_json, attempt, max_attempts, parent_execution_id, retry_of,
                                    queued_at, next_attempt_at, updated_at, version, event_count, retry_json, run_timeout_ms, watched)
            VALUES (@id, @pipeline, @params, @status, @lane, @trigger, @logical_key, @idempotency_key, @created_at,
                    @completed_at, @error_code, @error_message, @error, @attempt, @max_attempts, @parent, @retry_of,
                    @queued_at, @next_attempt_at, @updated_at, @version, @event_count, @retry, @run_timeout_ms, @watched)
            ON CONFLICT DO NOTHING
            """;
        var created = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (record, events) in executions)
        {
            await using (var command = connection.Command(Insert, transaction))
            {
                if (await BindCreated(command, record).ExecuteNonQueryAsync(cancellationToken) != 1)
                {
                    continue;
                }
            }

            created.Add(record.ExecutionId);
            if (events.Count > 0)
            {
                await using var command = connection.Command(InsertEventsSql(events.Count), transaction);
                await BindEvents(command, events).ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    private async Task<HashSet<string>> ApplyOnSqliteAsync(IReadOnlyList<ExecutionChange> changes, CancellationToken cancellationToken)
    {
        const string Update = """
            UPDATE executions SET
              status = @status, started_at = @started_at, completed_at = @completed_at, duration_ms = @duration_ms,
              metrics_json = @metrics, outputs_json = @outputs, quality_json = @quality,
              reject_count = @reject_count, error_code = @error_code, error_message = @error_message, error_json = @error,
              attempt = @attempt, max_attempts = @max_attempts, queued_at = @queued_at, next_attempt_at = @next_attempt_at, updated_at = @updated_at,
              progress_step = @progress_step, progress_completed = @progress_completed, progress_total = @progress_total,
              version = @version, event_count = @event_count, watched = @watched
            WHERE execution_id = @id AND version = @expected
            """;
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var change in changes)
        {
            await using (var command = connection.Command(Update, transaction))
            {
                if (await BindChange(command, change).ExecuteNonQueryAsync(cancellationToken) != 1)
                {
                    continue;
                }
            }

            applied.Add(change.Record.ExecutionId);
            if (change.Events.Count > 0)
            {
                await using var command = connection.Command(InsertEventsSql(change.Events.Count), transaction);
                await BindEvents(command, change.Events).ExecuteNonQueryAsync(cancellationToken);
            }

            if (change.DeadLetter is not null)
            {
                await using var command = connection.Command(InsertDeadLetterSql, transaction);
                await BindDeadLetter(command, change.DeadLetter).ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    private static DbCommand BindCreated(DbCommand command, ExecutionRecord record) => command
        .WithParameter("@id", record.ExecutionId)
        .WithParameter("@pipeline", record.Pipeline)
        .WithParameter("@params", JsonSerializer.Serialize(record.Parameters, Json))
        .WithParameter("@status", record.Status.ToText())
        .WithParameter("@lane", LaneText(record.Lane))
        .WithParameter("@trigger", record.TriggerSource.ToString().ToLowerInvariant())
        .WithParameter("@logical_key", record.LogicalKey)
        .WithParameter("@idempotency_key", record.IdempotencyKey)
        .WithParameter("@created_at", record.CreatedAt)
        .WithParameter("@completed_at", record.CompletedAt)
        .WithParameter("@error_code", record.Error?.Code)
        .WithParameter("@error_message", record.Error?.Message)
        .WithParameter("@error", record.Error is null ? null : JsonSerializer.Serialize(record.Error, Json))
        .WithParameter("@attempt", record.Attempt)
        .WithParameter("@max_attempts", record.MaxAttempts)
        .WithParameter("@parent", record.ParentExecutionId)
        .WithParameter("@retry_of", record.RetryOf)
        .WithParameter("@queued_at", record.QueuedAt)
        .WithParameter("@next_attempt_at", record.NextAttemptAt)
        .WithParameter("@updated_at", record.UpdatedAt)
        .WithParameter("@version", record.Version)
        .WithParameter("@event_count", record.EventCount)
        .WithParameter("@retry", record.Retry is null ? null : JsonSerializer.Serialize(record.Retry, Json))
        .WithParameter("@run_timeout_ms", record.RunTimeout is { } timeout ? (long)timeout.TotalMilliseconds : null)
        .WithParameter("@watched", record.Watched);

    private static DbCommand BindChange(DbCommand command, ExecutionChange change)
    {
        var record = change.Record;
        return command.WithParameter("@id", record.ExecutionId)
            .WithParameter("@expected", change.ExpectedVersion)
            .WithParameter("@status", record.Status.ToText())
            .WithParameter("@started_at", record.StartedAt)
            .WithParameter("@completed_at", record.CompletedAt)
            .WithParameter("@duration_ms", record.Duration is { } duration ? (long)duration.TotalMilliseconds : null)
            .WithParameter("@metrics", JsonSerializer.Serialize(record.Metrics, Json))
            .WithParameter("@outputs", JsonSerializer.Serialize(record.Outputs, Json))
            .WithParameter("@quality", JsonSerializer.Serialize(record.Quality, Json))
            .WithParameter("@reject_count", record.RejectCount)
            .WithParameter("@error_code", record.Error?.Code)
            .WithParameter("@error_message", record.Error?.Message)
            .WithParameter("@error", record.Error is null ? null : JsonSerializer.Serialize(record.Error, Json))
            .WithParameter("@attempt", record.Attempt)
            .WithParameter("@max_attempts", record.MaxAttempts)
            .WithParameter("@queued_at", record.QueuedAt)
            .WithParameter("@next_attempt_at", record.NextAttemptAt)
            .WithParameter("@updated_at", record.UpdatedAt)
            .WithParameter("@progress_step", record.Progress?.CurrentStep)
            .WithParameter("@progress_completed", record.Progress?.Completed)
            .WithParameter("@progress_total", record.Progress?.Total)
            .WithParameter("@version", record.Version)
            .WithParameter("@event_count", record.EventCount)
            .WithParameter("@watched", record.Watched);
    }

    /// <summary>One statement for all of a change's events: one round trip however many it appends.</summary>
    private static string InsertEventsSql(int count)
    {
        var sql = new StringBuilder("INSERT INTO execution_events (execution_id, seq, event_type, at, attempt, data_json) VALUES ");
        for (var i = 0; i < count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(System.Globalization.CultureInfo.InvariantCulture, $"(@e{i}, @s{i}, @k{i}, @t{i}, @a{i}, @d{i})");
        }

        return sql.ToString();
    }

    private static DbCommand BindEvents(DbCommand command, IReadOnlyList<ExecutionEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            command.WithParameter($"@e{i}", e.ExecutionId)
                .WithParameter($"@s{i}", e.Sequence)
                .WithParameter($"@k{i}", e.Type)
                .WithParameter($"@t{i}", e.At)
                .WithParameter($"@a{i}", e.Attempt)
                .WithParameter($"@d{i}", JsonSerializer.Serialize(e.Data, Json));
        }

        return command;
    }

    private static DbCommand BindDeadLetter(DbCommand command, DeadLetter letter) => command
        .WithParameter("@dl_id", letter.DeadLetterId)
        .WithParameter("@dl_execution_id", letter.ExecutionId)
        .WithParameter("@dl_pipeline", letter.Pipeline)
        .WithParameter("@dl_params", JsonSerializer.Serialize(letter.Parameters, Json))
        .WithParameter("@dl_lane", LaneText(letter.Lane))
        .WithParameter("@dl_logical_key", letter.LogicalKey)
        .WithParameter("@dl_attempts", letter.Attempts)
        .WithParameter("@dl_error", JsonSerializer.Serialize(letter.Error, Json))
        .WithParameter("@dl_at", letter.DeadLetteredAt)
        .WithParameter("@dl_error_code", letter.Error.Code)
        .WithParameter("@dl_error_message", letter.Error.Message);

    /// <summary>
    /// <paramref name="select"/> (a SELECT ... FROM with no WHERE) of the rows whose <c>execution_id</c> is
    /// one of <paramref name="executionIds"/>, in one statement. PostgreSQL takes the ids as one array
    /// parameter, so the statement's text (and its prepared plan) is the same whatever the count;
    /// SQLite has no arrays and gets a placeholder per id.
    /// </summary>
    private async Task<IReadOnlyList<T>> QueryByExecutionIdsAsync<T>(
        string select, IReadOnlyList<string> executionIds, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        if (executionIds.Count == 0)
        {
            return [];
        }

        return database.Dialect == SqlDialect.Postgres
            ? await QueryAsync($"{select} WHERE execution_id = ANY(@ids)", c => c.WithParameter("@ids", executionIds.ToArray()), read, cancellationToken)
            : await QueryAsync(
                $"{select} WHERE execution_id IN ({string.Join(", ", executionIds.Select((_, i) => $"@id{i}"))})",
                c =>
                {
                    for (var i = 0; i < executionIds.Count; i++)
                    {
                        c.WithParameter($"@id{i}", executionIds[i]);
                    }
                },
                read,
                cancellationToken);
    }

    /// <summary>Per id of <paramref name="ids"/>, in order (repeats included), the row found for it or the default.</summary>
    private static List<T?> InOrder<T>(IReadOnlyList<string> ids, IReadOnlyList<T> found, Func<T, string> idOf)
        where T : class
    {
        var byId = new Dictionary<string, T>(found.Count, StringComparer.Ordinal);
        foreach (var row in found)
        {
            byId[idOf(row)] = row;
        }

        return [.. ids.Select(id => byId.TryGetValue(id, out var row) ? row : default)];
    }

    private sealed record DeadLetterOf(string ExecutionId, string DeadLetterId);

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(sql);
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static ExecutionRecord ReadExecution(DbDataReader reader) => new(
        ExecutionId: reader.GetString(0),
        Pipeline: reader.GetString(1),
        Parameters: Deserialize<Dictionary<string, string>>(reader.GetString(2)),
        Status: ExecutionStatusText.Parse(reader.GetString(3)),
        Lane: Enum.Parse<Lane>(reader.GetString(4), ignoreCase: true),
        TriggerSource: Enum.Parse<TriggerSource>(reader.GetString(5), ignoreCase: true),
        LogicalKey: NullableString(reader, 6),
        IdempotencyKey: NullableString(reader, 7),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(8),
        StartedAt: NullableTime(reader, 9),
        CompletedAt: NullableTime(reader, 10),
        Metrics: Deserialize<Dictionary<string, double>>(reader.GetString(11)),
        Outputs: Deserialize<Dictionary<string, string>>(reader.GetString(12)),
        Quality: Deserialize<List<QualityResult>>(reader.GetString(13)),
        RejectCount: reader.GetInt64(14),
        Error: reader.IsDBNull(15) ? null : ErrorJson.Read(reader.GetString(15)))
    {
        Attempt = reader.GetInt32(16),
        MaxAttempts = reader.GetInt32(17),
        ParentExecutionId = NullableString(reader, 18),
        RetryOf = NullableString(reader, 19),
        QueuedAt = NullableTime(reader, 20),
        NextAttemptAt = NullableTime(reader, 21),
        UpdatedAt = NullableTime(reader, 22),
        Progress = reader.IsDBNull(23) ? null : new ExecutionProgress(reader.GetString(23), reader.GetInt64(24), reader.IsDBNull(25) ? null : reader.GetInt64(25)),
        Version = reader.GetInt64(26),
        EventCount = reader.GetInt64(27),
        Retry = reader.IsDBNull(28) ? null : Deserialize<RetryPolicy>(reader.GetString(28)),
        RunTimeout = reader.IsDBNull(29) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(29)),
        Watched = reader.GetBoolean(30),
    };

    private static DeadLetter ReadDeadLetter(DbDataReader reader) => new(
        DeadLetterId: reader.GetString(0),
        ExecutionId: reader.GetString(1),
        Pipeline: reader.GetString(2),
        Parameters: Deserialize<Dictionary<string, string>>(reader.GetString(3)),
        Lane: Enum.Parse<Lane>(reader.GetString(4), ignoreCase: true),
        LogicalKey: NullableString(reader, 5),
        Attempts: reader.GetInt32(6),
        Error: ErrorJson.Read(reader.GetString(7)),
        DeadLetteredAt: reader.GetFieldValue<DateTimeOffset>(8),
        Status: Enum.Parse<DeadLetterStatus>(reader.GetString(9), ignoreCase: true),
        RetriedAs: NullableString(reader, 10),
        ResolvedAt: NullableTime(reader, 11));

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? NullableTime(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException($"Stored JSON is null: {json}");
}
