using System.Data.Common;
using System.Text.Json;
using MarketSpine.Core.Data;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;

namespace MarketSpine.Storage.Executions;

/// <summary>The executions ledger on SQLite or PostgreSQL, in portable SQL.</summary>
public sealed class SqlExecutionLedger(ISpineDatabase database) : IExecutionLedger
{
    private const string Columns =
        "execution_id, pipeline, params_json, status, lane, trigger_source, logical_key, idempotency_key, created_at, started_at, completed_at, metrics_json, outputs_json, quality_json, reject_count, error_json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task CreateAsync(ExecutionRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO executions (execution_id, pipeline, params_json, status, lane, trigger_source, logical_key, idempotency_key, created_at)
            VALUES (@id, @pipeline, {database.Dialect.Json("@params")}, @status, @lane, @trigger, @logical_key, @idempotency_key, @created_at)
            """;
        command.WithParameter("@id", record.ExecutionId)
            .WithParameter("@pipeline", record.Pipeline)
            .WithParameter("@params", JsonSerializer.Serialize(record.Parameters, Json))
            .WithParameter("@status", record.Status.ToText())
            .WithParameter("@lane", record.Lane.ToString().ToLowerInvariant())
            .WithParameter("@trigger", record.TriggerSource.ToString().ToLowerInvariant())
            .WithParameter("@logical_key", record.LogicalKey)
            .WithParameter("@idempotency_key", record.IdempotencyKey)
            .WithParameter("@created_at", record.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkRunningAsync(string executionId, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE executions SET status = 'running', started_at = @started_at WHERE execution_id = @id";
        command.WithParameter("@id", executionId).WithParameter("@started_at", startedAt);
        await RequireOneAsync(command, executionId, cancellationToken);
    }

    public async Task CompleteAsync(string executionId, PipelineResult result, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE executions SET
              status = @status, started_at = @started_at, completed_at = @completed_at, duration_ms = @duration_ms,
              metrics_json = {database.Dialect.Json("@metrics")}, outputs_json = {database.Dialect.Json("@outputs")}, quality_json = {database.Dialect.Json("@quality")},
              reject_count = @reject_count, error_code = @error_code, error_message = @error_message, error_json = {database.Dialect.Json("@error")}
            WHERE execution_id = @id
            """;
        command.WithParameter("@id", executionId)
            .WithParameter("@status", result.Status.ToText())
            .WithParameter("@started_at", result.StartedAt)
            .WithParameter("@completed_at", result.CompletedAt)
            .WithParameter("@duration_ms", (long)result.Duration.TotalMilliseconds)
            .WithParameter("@metrics", JsonSerializer.Serialize(result.Metrics, Json))
            .WithParameter("@outputs", JsonSerializer.Serialize(result.Outputs, Json))
            .WithParameter("@quality", JsonSerializer.Serialize(result.Quality, Json))
            .WithParameter("@reject_count", result.RejectCount)
            .WithParameter("@error_code", result.Error?.Code)
            .WithParameter("@error_message", result.Error?.Message)
            .WithParameter("@error", result.Error is null ? null : JsonSerializer.Serialize(result.Error, Json));
        await RequireOneAsync(command, executionId, cancellationToken);
    }

    public async Task<ExecutionRecord?> FindAsync(string executionId, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM executions WHERE execution_id = @id", c => c.WithParameter("@id", executionId), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<ExecutionRecord?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM executions WHERE idempotency_key = @key", c => c.WithParameter("@key", idempotencyKey), cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<ExecutionRecord>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        if (query.Status is not null)
        {
            where.Add("status = @status");
        }

        if (query.Pipeline is not null)
        {
            where.Add("pipeline = @pipeline");
        }

        if (query.Since is not null)
        {
            where.Add("created_at >= @since");
        }

        var sql = $"SELECT {Columns} FROM executions {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")} ORDER BY created_at DESC, execution_id DESC LIMIT @limit";
        return QueryAsync(sql, c =>
        {
            if (query.Status is { } status)
            {
                c.WithParameter("@status", status.ToText());
            }

            if (query.Pipeline is { } pipeline)
            {
                c.WithParameter("@pipeline", pipeline);
            }

            if (query.Since is { } since)
            {
                c.WithParameter("@since", since);
            }

            c.WithParameter("@limit", query.Limit);
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<ExecutionRecord>> QueryAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<ExecutionRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }

        return records;
    }

    private static ExecutionRecord Read(DbDataReader reader) => new(
        ExecutionId: reader.GetString(0),
        Pipeline: reader.GetString(1),
        Parameters: Deserialize<Dictionary<string, string>>(reader.GetString(2)),
        Status: ExecutionStatusText.Parse(reader.GetString(3)),
        Lane: Enum.Parse<Lane>(reader.GetString(4), ignoreCase: true),
        TriggerSource: Enum.Parse<TriggerSource>(reader.GetString(5), ignoreCase: true),
        LogicalKey: reader.IsDBNull(6) ? null : reader.GetString(6),
        IdempotencyKey: reader.IsDBNull(7) ? null : reader.GetString(7),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(8),
        StartedAt: reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        CompletedAt: reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        Metrics: Deserialize<Dictionary<string, double>>(reader.GetString(11)),
        Outputs: Deserialize<Dictionary<string, string>>(reader.GetString(12)),
        Quality: Deserialize<List<QualityResult>>(reader.GetString(13)),
        RejectCount: reader.GetInt64(14),
        Error: reader.IsDBNull(15) ? null : ReadError(reader.GetString(15)));

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException($"Stored JSON is null: {json}");

    /// <summary>Error details round-trip as JSON elements: their shape is per error, not fixed.</summary>
    private static ErrorInfo ReadError(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var details = new Dictionary<string, object?>();
        if (root.TryGetProperty("details", out var detailElement) && detailElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in detailElement.EnumerateObject())
            {
                details[property.Name] = property.Value.Clone();
            }
        }

        return new ErrorInfo(root.GetProperty("code").GetString()!, root.GetProperty("message").GetString()!, details);
    }

    private static async Task RequireOneAsync(DbCommand command, string executionId, CancellationToken cancellationToken)
    {
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new NotFoundError(ErrorCodes.ExecutionNotFound, $"Execution {executionId} does not exist.",
                new Dictionary<string, object?> { ["execution_id"] = executionId });
        }
    }
}
