using System.Data.Common;
using System.Text.Json;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;
using MarketSpine.Storage.Executions;
using MarketSpine.Storage.Tests.Support;

namespace MarketSpine.Storage.Tests.Executions;

/// <summary>
/// <see cref="SqlExecutionLedger"/> on each dialect. The class's database is shared by its tests,
/// which run one at a time: each starts from an empty ledger.
/// </summary>
public abstract class ExecutionLedgerContract(TestStore store) : IAsyncLifetime
{
    // Timestamps carry microseconds, PostgreSQL's precision, and a non-UTC offset where the ledger must normalise.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2024, 3, 4, 9, 30, 0, TimeSpan.Zero).AddTicks(1_234_560);

    protected SqlExecutionLedger Ledger { get; } = new(store.Database);

    public Task InitializeAsync() => store.ExecuteAsync("DELETE FROM executions");

    public Task DisposeAsync() => Task.CompletedTask;

    protected async Task CreateMarkRunningAndCompleteRoundTripEveryField()
    {
        var created = NewRecord("exec_roundtrip", "otc.ingest_week", T0) with
        {
            Parameters = new Dictionary<string, string> { ["week_ending"] = "2024-03-01", ["tier"] = "NMS_TIER_1", ["note"] = "Zürich ✓ \"quoted\"" },
            Lane = Lane.Backfill,
            TriggerSource = TriggerSource.Schedule,
            LogicalKey = "otc:2024-03-01:NMS_TIER_1",
            IdempotencyKey = "idem-roundtrip",
        };
        await Ledger.CreateAsync(created, CancellationToken.None);

        var pending = await Ledger.FindAsync(created.ExecutionId, CancellationToken.None);
        AssertSame(created, pending);

        var startedAt = new DateTimeOffset(2024, 3, 4, 11, 30, 1, TimeSpan.FromHours(2)).AddTicks(5);
        await Ledger.MarkRunningAsync(created.ExecutionId, startedAt.AddTicks(-5), CancellationToken.None);
        var running = await Ledger.FindAsync(created.ExecutionId, CancellationToken.None);
        AssertSame(created with { Status = ExecutionStatus.Running, StartedAt = startedAt.AddTicks(-5) }, running);

        var result = new PipelineResult(
            ExecutionStatus.Failed,
            StartedAt: T0.AddSeconds(1),
            CompletedAt: T0.AddSeconds(42).AddTicks(70),
            Metrics: new Dictionary<string, double> { ["rows"] = 250_000, ["ratio"] = 0.125, ["negative"] = -3.5, ["tiny"] = 1e-12 },
            Outputs: new Dictionary<string, string> { ["capture_id"] = "cap_2024-03-01_NMS_TIER_1_20240301", ["file"] = "/data/ünï.psv" },
            Quality: [QualityResult.Pass("row_count", "250000 rows"), QualityResult.Fail("shares_sum_to_100", "AAPL sums to 99.2%", isGate: false)],
            RejectCount: 17,
            Error: new ErrorInfo(ErrorCodes.QualityGateFailed, "Quality gate failed: shares_sum_to_100", new Dictionary<string, object?>
            {
                ["check"] = "shares_sum_to_100",
                ["line"] = 42,
                ["ratio"] = 0.5,
                ["missing"] = null,
            }));
        await Ledger.CompleteAsync(created.ExecutionId, result, CancellationToken.None);

        var completed = await Ledger.FindAsync(created.ExecutionId, CancellationToken.None);
        AssertSame(created with
        {
            Status = ExecutionStatus.Failed,
            StartedAt = result.StartedAt,
            CompletedAt = result.CompletedAt,
            Metrics = result.Metrics,
            Outputs = result.Outputs,
            Quality = result.Quality,
            RejectCount = 17,
        }, completed, expectedError: false);
        Assert.Equal(TimeSpan.FromSeconds(41).Add(TimeSpan.FromTicks(70)), completed!.Duration);
        var error = Assert.IsType<ErrorInfo>(completed.Error);
        Assert.Equal(ErrorCodes.QualityGateFailed, error.Code);
        Assert.Equal("Quality gate failed: shares_sum_to_100", error.Message);
        Assert.Equal(["check", "line", "missing", "ratio"], error.Details.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("shares_sum_to_100", Assert.IsType<JsonElement>(error.Details["check"]).GetString());
        Assert.Equal(42, Assert.IsType<JsonElement>(error.Details["line"]).GetInt32());
        Assert.Equal(0.5, Assert.IsType<JsonElement>(error.Details["ratio"]).GetDouble());
        Assert.Equal(JsonValueKind.Null, Assert.IsType<JsonElement>(error.Details["missing"]).ValueKind);
        Assert.Equal(41_000L, await store.ScalarAsync("SELECT duration_ms FROM executions WHERE execution_id = 'exec_roundtrip'"));
    }

    protected async Task ASuccessfulCompletionStoresNoError()
    {
        var created = NewRecord("exec_ok", "otc.normalize_week", T0);
        await Ledger.CreateAsync(created, CancellationToken.None);
        await Ledger.MarkRunningAsync(created.ExecutionId, T0.AddSeconds(1), CancellationToken.None);

        await Ledger.CompleteAsync(created.ExecutionId, new PipelineResult(ExecutionStatus.Completed, T0.AddSeconds(1), T0.AddSeconds(2),
            new Dictionary<string, double>(), new Dictionary<string, string>(), [], 0, null), CancellationToken.None);

        AssertSame(created with { Status = ExecutionStatus.Completed, StartedAt = T0.AddSeconds(1), CompletedAt = T0.AddSeconds(2) },
            await Ledger.FindAsync(created.ExecutionId, CancellationToken.None));
        Assert.Equal(0, await store.ScalarAsync("SELECT COUNT(*) FROM executions WHERE error_code IS NOT NULL OR error_message IS NOT NULL OR error_json IS NOT NULL"));
    }

    protected async Task FindsByIdempotencyKey()
    {
        await Ledger.CreateAsync(NewRecord("exec_a", "p", T0) with { IdempotencyKey = "key-a" }, CancellationToken.None);
        await Ledger.CreateAsync(NewRecord("exec_b", "p", T0.AddSeconds(1)) with { IdempotencyKey = "key-b" }, CancellationToken.None);

        Assert.Equal("exec_b", (await Ledger.FindByIdempotencyKeyAsync("key-b", CancellationToken.None))?.ExecutionId);
        Assert.Equal("exec_a", (await Ledger.FindByIdempotencyKeyAsync("key-a", CancellationToken.None))?.ExecutionId);
        Assert.Null(await Ledger.FindByIdempotencyKeyAsync("key-c", CancellationToken.None));
        Assert.Null(await Ledger.FindAsync("exec_c", CancellationToken.None));
    }

    protected async Task ADuplicateIdempotencyKeyIsRejected()
    {
        await Ledger.CreateAsync(NewRecord("exec_first", "p", T0) with { IdempotencyKey = "same-key" }, CancellationToken.None);
        // Any number of executions may have no key.
        await Ledger.CreateAsync(NewRecord("exec_nokey_1", "p", T0), CancellationToken.None);
        await Ledger.CreateAsync(NewRecord("exec_nokey_2", "p", T0), CancellationToken.None);

        var error = await Assert.ThrowsAnyAsync<DbException>(() =>
            Ledger.CreateAsync(NewRecord("exec_second", "p", T0.AddSeconds(1)) with { IdempotencyKey = "same-key" }, CancellationToken.None));

        AssertUniqueViolation(error);
        Assert.Equal("exec_first", (await Ledger.FindByIdempotencyKeyAsync("same-key", CancellationToken.None))?.ExecutionId);
        Assert.Null(await Ledger.FindAsync("exec_second", CancellationToken.None));
        Assert.Equal(3, await store.ScalarAsync("SELECT COUNT(*) FROM executions"));
    }

    protected async Task ListFiltersOrdersNewestFirstAndLimits()
    {
        // Sub-second times with differing numbers of digits: SQLite compares them as text.
        var records = new[]
        {
            NewRecord("exec_01", "otc.ingest_week", T0),
            NewRecord("exec_02", "otc.ingest_week", T0.AddTicks(5_000_000)) with { Status = ExecutionStatus.Failed },
            NewRecord("exec_03", "otc.normalize_week", T0.AddTicks(5_000_010)) with { Status = ExecutionStatus.Completed },
            NewRecord("exec_04", "otc.ingest_week", T0.AddSeconds(1)) with { Status = ExecutionStatus.Completed },
            NewRecord("exec_05", "otc.normalize_week", T0.AddMinutes(1)) with { Status = ExecutionStatus.Failed },
            NewRecord("exec_06", "otc.ingest_week", T0.AddHours(1)) with { Status = ExecutionStatus.DeadLettered },
            // Same instant as exec_06: the id breaks the tie.
            NewRecord("exec_07", "otc.normalize_week", T0.AddHours(1)),
        };
        foreach (var record in records.Reverse())
        {
            await Ledger.CreateAsync(record, CancellationToken.None);
        }

        Assert.Equal(["exec_07", "exec_06", "exec_05", "exec_04", "exec_03", "exec_02", "exec_01"], await ListAsync(new ExecutionQuery()));
        Assert.Equal(["exec_05", "exec_02"], await ListAsync(new ExecutionQuery(Status: ExecutionStatus.Failed)));
        Assert.Equal(["exec_06"], await ListAsync(new ExecutionQuery(Status: ExecutionStatus.DeadLettered)));
        Assert.Equal(["exec_06", "exec_04", "exec_02", "exec_01"], await ListAsync(new ExecutionQuery(Pipeline: "otc.ingest_week")));
        Assert.Empty(await ListAsync(new ExecutionQuery(Pipeline: "otc.unknown")));
        // Since is inclusive, and an offset other than UTC names the same instant.
        Assert.Equal(["exec_07", "exec_06", "exec_05", "exec_04", "exec_03"],
            await ListAsync(new ExecutionQuery(Since: T0.AddTicks(5_000_010).ToOffset(TimeSpan.FromHours(-5)))));
        Assert.Equal(["exec_07", "exec_06", "exec_05", "exec_04"], await ListAsync(new ExecutionQuery(Since: T0.AddTicks(5_000_020))));
        Assert.Equal(["exec_04"], await ListAsync(new ExecutionQuery(Status: ExecutionStatus.Completed, Pipeline: "otc.ingest_week", Since: T0)));
        Assert.Equal(["exec_07", "exec_06"], await ListAsync(new ExecutionQuery(Limit: 2)));
        Assert.Equal(["exec_04"], await ListAsync(new ExecutionQuery(Pipeline: "otc.ingest_week", Since: T0.AddTicks(1), Limit: 2, Status: ExecutionStatus.Completed)));

        var listed = await Ledger.ListAsync(new ExecutionQuery(Limit: 100), CancellationToken.None);
        foreach (var record in records)
        {
            AssertSame(record, listed.Single(r => r.ExecutionId == record.ExecutionId));
        }
    }

    protected async Task UpdatingAnUnknownExecutionIsNotFound()
    {
        var result = new PipelineResult(ExecutionStatus.Completed, T0, T0.AddSeconds(1),
            new Dictionary<string, double>(), new Dictionary<string, string>(), [], 0, null);

        var complete = await Assert.ThrowsAsync<NotFoundError>(() => Ledger.CompleteAsync("exec_missing", result, CancellationToken.None));
        var running = await Assert.ThrowsAsync<NotFoundError>(() => Ledger.MarkRunningAsync("exec_missing", T0, CancellationToken.None));

        foreach (var error in new[] { complete, running })
        {
            Assert.Equal(ErrorCodes.ExecutionNotFound, error.Code);
            Assert.Equal("Execution exec_missing does not exist.", error.Message);
            Assert.Equal("exec_missing", error.Details["execution_id"]);
        }

        Assert.Equal(0, await store.ScalarAsync("SELECT COUNT(*) FROM executions"));
    }

    protected abstract void AssertUniqueViolation(DbException exception);

    private async Task<List<string>> ListAsync(ExecutionQuery query) =>
        [.. (await Ledger.ListAsync(query, CancellationToken.None)).Select(r => r.ExecutionId)];

    private static ExecutionRecord NewRecord(string id, string pipeline, DateTimeOffset createdAt) => new(
        id, pipeline, new Dictionary<string, string> { ["week_ending"] = "2024-03-01" }, ExecutionStatus.Pending, Lane.Normal, TriggerSource.Cli,
        LogicalKey: null, IdempotencyKey: null, createdAt, StartedAt: null, CompletedAt: null,
        Metrics: new Dictionary<string, double>(), Outputs: new Dictionary<string, string>(), Quality: [], RejectCount: 0, Error: null);

    /// <summary>Field by field: the record's dictionaries and lists compare by reference.</summary>
    private static void AssertSame(ExecutionRecord expected, ExecutionRecord? actual, bool expectedError = true)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.ExecutionId, actual.ExecutionId);
        Assert.Equal(expected.Pipeline, actual.Pipeline);
        Assert.Equal(expected.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Lane, actual.Lane);
        Assert.Equal(expected.TriggerSource, actual.TriggerSource);
        Assert.Equal(expected.LogicalKey, actual.LogicalKey);
        Assert.Equal(expected.IdempotencyKey, actual.IdempotencyKey);
        AssertInstant(expected.CreatedAt, actual.CreatedAt);
        AssertInstant(expected.StartedAt, actual.StartedAt);
        AssertInstant(expected.CompletedAt, actual.CompletedAt);
        Assert.Equal(expected.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Outputs.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Outputs.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Quality, actual.Quality);
        Assert.Equal(expected.RejectCount, actual.RejectCount);
        if (expectedError)
        {
            Assert.Equal(expected.Error is null, actual.Error is null);
        }
    }

    /// <summary>The same instant, read back in UTC.</summary>
    private static void AssertInstant(DateTimeOffset? expected, DateTimeOffset? actual)
    {
        Assert.Equal(expected, actual);
        if (actual is { } value)
        {
            Assert.Equal(TimeSpan.Zero, value.Offset);
        }
    }
}
