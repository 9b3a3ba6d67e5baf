using System.Data.Common;
using System.Text.Json;
using MarketSpine.Core.Data;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Storage.Executions;

/// <summary>
/// The PostgreSQL writes of <see cref="SqlExecutionStore"/>: a batch of new executions, or of changes,
/// in one statement. Each column travels as one array parameter, unnested on the server, so the
/// statement's text is the same whatever the batch size: prepared once per connection, and planned
/// once per batch rather than once per execution. The events (and dead letters) of a batch are
/// inserted only for the executions whose row was written, which the statement decides itself; a
/// single statement is atomic by itself.
/// </summary>
internal static class PostgresExecutionBatches
{
    private const string InsertEvents = """
        INSERT INTO execution_events (execution_id, seq, event_type, at, attempt, data_json)
        SELECT e.id, e.seq, e.type, e.at, e.attempt, e.data::jsonb
        FROM unnest(@e_id::text[], @e_seq::bigint[], @e_type::text[], @e_at::timestamptz[], @e_attempt::integer[], @e_data::text[])
            AS e(id, seq, type, at, attempt, data)
        """;

    private const string Create = $"""
        WITH created AS (
            INSERT INTO executions (execution_id, pipeline, params_json, status, lane, trigger_source, logical_key, idempotency_key, created_at,
                                    completed_at, error_code, error_message, error_json, attempt, max_attempts, parent_execution_id, retry_of,
                                    queued_at, next_attempt_at, updated_at, version, event_count, retry_json, run_timeout_ms, watched)
            SELECT n.id, n.pipeline, n.params::jsonb, n.status, n.lane, n.trigger, n.logical_key, n.idempotency_key, n.created_at,
                   n.completed_at, n.error_code, n.error_message, n.error::jsonb, n.attempt, n.max_attempts, n.parent, n.retry_of,
                   n.queued_at, n.next_attempt_at, n.updated_at, n.version, n.event_count, n.retry::jsonb, n.run_timeout_ms, n.watched
            FROM unnest(@id::text[], @pipeline::text[], @params::text[], @status::text[], @lane::text[], @trigger::text[], @logical_key::text[],
                        @idempotency_key::text[], @created_at::timestamptz[], @completed_at::timestamptz[], @error_code::text[], @error_message::text[],
                        @error::text[], @attempt::integer[], @max_attempts::integer[], @parent::text[], @retry_of::text[], @queued_at::timestamptz[],
                        @next_attempt_at::timestamptz[], @updated_at::timestamptz[], @version::bigint[], @event_count::bigint[], @retry::text[],
                        @run_timeout_ms::bigint[], @watched::boolean[])
                AS n(id, pipeline, params, status, lane, trigger, logical_key, idempotency_key, created_at, completed_at, error_code, error_message,
                     error, attempt, max_attempts, parent, retry_of, queued_at, next_attempt_at, updated_at, version, event_count, retry,
                     run_timeout_ms, watched)
            ON CONFLICT DO NOTHING
            RETURNING execution_id),
        events AS (
            {InsertEvents}
            WHERE e.id IN (SELECT execution_id FROM created))
        SELECT execution_id FROM created
        """;

    private const string Apply = $"""
        WITH updated AS (
            UPDATE executions AS x SET
                status = c.status, started_at = c.started_at, completed_at = c.completed_at, duration_ms = c.duration_ms,
                metrics_json = c.metrics::jsonb, outputs_json = c.outputs::jsonb, quality_json = c.quality::jsonb, reject_count = c.reject_count,
                error_code = c.error_code, error_message = c.error_message, error_json = c.error::jsonb, attempt = c.attempt,
                max_attempts = c.max_attempts, queued_at = c.queued_at, next_attempt_at = c.next_attempt_at, updated_at = c.updated_at,
                progress_step = c.progress_step, progress_completed = c.progress_completed, progress_total = c.progress_total,
                version = c.version, event_count = c.event_count, watched = c.watched
            FROM unnest(@id::text[], @expected::bigint[], @status::text[], @started_at::timestamptz[], @completed_at::timestamptz[],
                        @duration_ms::bigint[], @metrics::text[], @outputs::text[], @quality::text[], @reject_count::bigint[], @error_code::text[],
                        @error_message::text[], @error::text[], @attempt::integer[], @max_attempts::integer[], @queued_at::timestamptz[],
                        @next_attempt_at::timestamptz[], @updated_at::timestamptz[], @progress_step::text[], @progress_completed::bigint[],
                        @progress_total::bigint[], @version::bigint[], @event_count::bigint[], @watched::boolean[])
                AS c(id, expected, status, started_at, completed_at, duration_ms, metrics, outputs, quality, reject_count, error_code, error_message,
                     error, attempt, max_attempts, queued_at, next_attempt_at, updated_at, progress_step, progress_completed, progress_total,
                     version, event_count, watched)
            WHERE x.execution_id = c.id AND x.version = c.expected
            RETURNING x.execution_id),
        events AS (
            {InsertEvents}
            WHERE e.id IN (SELECT execution_id FROM updated)),
        letters AS (
            INSERT INTO dead_letters (dead_letter_id, execution_id, pipeline, params_json, lane, logical_key, attempts, error_json, dead_lettered_at,
                                      status, error_code, error_message)
            SELECT l.id, l.execution_id, l.pipeline, l.params::jsonb, l.lane, l.logical_key, l.attempts, l.error::jsonb, l.at,
                   'open', l.error_code, l.error_message
            FROM unnest(@l_id::text[], @l_execution_id::text[], @l_pipeline::text[], @l_params::text[], @l_lane::text[], @l_logical_key::text[],
                        @l_attempts::integer[], @l_error::text[], @l_at::timestamptz[], @l_error_code::text[], @l_error_message::text[])
                AS l(id, execution_id, pipeline, params, lane, logical_key, attempts, error, at, error_code, error_message)
            WHERE l.execution_id IN (SELECT execution_id FROM updated))
        SELECT execution_id FROM updated
        """;

    /// <summary>Inserts the executions that are new (by id and idempotency key) with their events; returns their ids.</summary>
    public static async Task<HashSet<string>> CreateAsync(DbConnection connection, IReadOnlyList<NewExecution> executions, JsonSerializerOptions json,
        CancellationToken cancellationToken)
    {
        await using var command = connection.Command(Create);
        var records = executions.Select(e => e.Record).ToList();
        command.WithParameter("@id", Strings(records, r => r.ExecutionId))
            .WithParameter("@pipeline", Strings(records, r => r.Pipeline))
            .WithParameter("@params", Strings(records, r => JsonSerializer.Serialize(r.Parameters, json)))
            .WithParameter("@status", Strings(records, r => r.Status.ToText()))
            .WithParameter("@lane", Strings(records, r => SqlExecutionStore.LaneText(r.Lane)))
            .WithParameter("@trigger", Strings(records, r => r.TriggerSource.ToString().ToLowerInvariant()))
            .WithParameter("@logical_key", Strings(records, r => r.LogicalKey))
            .WithParameter("@idempotency_key", Strings(records, r => r.IdempotencyKey))
            .WithParameter("@created_at", Times(records, r => r.CreatedAt))
            .WithParameter("@completed_at", Times(records, r => r.CompletedAt))
            .WithParameter("@error_code", Strings(records, r => r.Error?.Code))
            .WithParameter("@error_message", Strings(records, r => r.Error?.Message))
            .WithParameter("@error", Strings(records, r => r.Error is null ? null : JsonSerializer.Serialize(r.Error, json)))
            .WithParameter("@attempt", records.Select(r => r.Attempt).ToArray())
            .WithParameter("@max_attempts", records.Select(r => r.MaxAttempts).ToArray())
            .WithParameter("@parent", Strings(records, r => r.ParentExecutionId))
            .WithParameter("@retry_of", Strings(records, r => r.RetryOf))
            .WithParameter("@queued_at", Times(records, r => r.QueuedAt))
            .WithParameter("@next_attempt_at", Times(records, r => r.NextAttemptAt))
            .WithParameter("@updated_at", Times(records, r => r.UpdatedAt))
            .WithParameter("@version", records.Select(r => r.Version).ToArray())
            .WithParameter("@event_count", records.Select(r => r.EventCount).ToArray())
            .WithParameter("@retry", Strings(records, r => r.Retry is null ? null : JsonSerializer.Serialize(r.Retry, json)))
            .WithParameter("@run_timeout_ms", records.Select(r => r.RunTimeout is { } timeout ? (long?)timeout.TotalMilliseconds : null).ToArray())
            .WithParameter("@watched", records.Select(r => r.Watched).ToArray());
        BindEvents(command, [.. executions.SelectMany(e => e.Events)], json);
        return await ReadIdsAsync(command, cancellationToken);
    }

    /// <summary>Applies the changes whose execution is at the expected version, with their events and dead letters; returns their ids.</summary>
    public static async Task<HashSet<string>> ApplyAsync(DbConnection connection, IReadOnlyList<ExecutionChange> changes, JsonSerializerOptions json,
        CancellationToken cancellationToken)
    {
        await using var command = connection.Command(Apply);
        var records = changes.Select(c => c.Record).ToList();
        command.WithParameter("@id", Strings(records, r => r.ExecutionId))
            .WithParameter("@expected", changes.Select(c => c.ExpectedVersion).ToArray())
            .WithParameter("@status", Strings(records, r => r.Status.ToText()))
            .WithParameter("@started_at", Times(records, r => r.StartedAt))
            .WithParameter("@completed_at", Times(records, r => r.CompletedAt))
            .WithParameter("@duration_ms", records.Select(r => r.Duration is { } duration ? (long?)duration.TotalMilliseconds : null).ToArray())
            .WithParameter("@metrics", Strings(records, r => JsonSerializer.Serialize(r.Metrics, json)))
            .WithParameter("@outputs", Strings(records, r => JsonSerializer.Serialize(r.Outputs, json)))
            .WithParameter("@quality", Strings(records, r => JsonSerializer.Serialize(r.Quality, json)))
            .WithParameter("@reject_count", records.Select(r => r.RejectCount).ToArray())
            .WithParameter("@error_code", Strings(records, r => r.Error?.Code))
            .WithParameter("@error_message", Strings(records, r => r.Error?.Message))
            .WithParameter("@error", Strings(records, r => r.Error is null ? null : JsonSerializer.Serialize(r.Error, json)))
            .WithParameter("@attempt", records.Select(r => r.Attempt).ToArray())
            .WithParameter("@max_attempts", records.Select(r => r.MaxAttempts).ToArray())
            .WithParameter("@queued_at", Times(records, r => r.QueuedAt))
            .WithParameter("@next_attempt_at", Times(records, r => r.NextAttemptAt))
            .WithParameter("@updated_at", Times(records, r => r.UpdatedAt))
            .WithParameter("@progress_step", Strings(records, r => r.Progress?.CurrentStep))
            .WithParameter("@progress_completed", records.Select(r => r.Progress?.Completed).ToArray())
            .WithParameter("@progress_total", records.Select(r => r.Progress?.Total).ToArray())
            .WithParameter("@version", records.Select(r => r.Version).ToArray())
            .WithParameter("@event_count", records.Select(r => r.EventCount).ToArray())
            .WithParameter("@watched", records.Select(r => r.Watched).ToArray());
        BindEvents(command, [.. changes.SelectMany(c => c.Events)], json);
        var letters = changes.Where(c => c.DeadLetter is not null).Select(c => c.DeadLetter!).ToList();
        command.WithParameter("@l_id", Strings(letters, l => l.DeadLetterId))
            .WithParameter("@l_execution_id", Strings(letters, l => l.ExecutionId))
            .WithParameter("@l_pipeline", Strings(letters, l => l.Pipeline))
            .WithParameter("@l_params", Strings(letters, l => JsonSerializer.Serialize(l.Parameters, json)))
            .WithParameter("@l_lane", Strings(letters, l => SqlExecutionStore.LaneText(l.Lane)))
            .WithParameter("@l_logical_key", Strings(letters, l => l.LogicalKey))
            .WithParameter("@l_attempts", letters.Select(l => l.Attempts).ToArray())
            .WithParameter("@l_error", Strings(letters, l => JsonSerializer.Serialize(l.Error, json)))
            .WithParameter("@l_at", Times(letters, l => l.DeadLetteredAt))
            .WithParameter("@l_error_code", Strings(letters, l => l.Error.Code))
            .WithParameter("@l_error_message", Strings(letters, l => l.Error.Message));
        return await ReadIdsAsync(command, cancellationToken);
    }

    private static void BindEvents(DbCommand command, IReadOnlyList<ExecutionEvent> events, JsonSerializerOptions json) => command
        .WithParameter("@e_id", Strings(events, e => e.ExecutionId))
        .WithParameter("@e_seq", events.Select(e => e.Sequence).ToArray())
        .WithParameter("@e_type", Strings(events, e => e.Type))
        .WithParameter("@e_at", Times(events, e => e.At))
        .WithParameter("@e_attempt", events.Select(e => e.Attempt).ToArray())
        .WithParameter("@e_data", Strings(events, e => JsonSerializer.Serialize(e.Data, json)));

    private static string?[] Strings<T>(IReadOnlyList<T> items, Func<T, string?> value) => [.. items.Select(value)];

    /// <summary>UTC, as Npgsql requires of timestamptz (one value is converted by <see cref="DbCommandExtensions.WithParameter"/>, an array is not).</summary>
    private static DateTimeOffset?[] Times<T>(IReadOnlyList<T> items, Func<T, DateTimeOffset?> value) => [.. items.Select(i => value(i)?.ToUniversalTime())];

    private static async Task<HashSet<string>> ReadIdsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
