using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;
using MarketSpine.Core.Registry;
using MarketSpine.Core.Tests.TestPipelines;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Core.Tests.Execution;

public sealed class DispatcherTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 8, 21, 30, 0, TimeSpan.Zero);
    private static readonly PipelineRegistry Registry = PipelineRegistry.FromAssemblies(typeof(IngestWeekPipeline).Assembly);

    private readonly InMemoryExecutionLedger _ledger = new();
    private readonly RunLog _runs = new();
    private readonly ManualTimeProvider _clock = new(Start);
    private readonly Dispatcher _dispatcher;

    public DispatcherTests()
    {
        _dispatcher = new Dispatcher(Registry, _ledger, new SingleServiceProvider(_runs), NullLoggerFactory.Instance, _clock);
    }

    private static SubmitRequest IngestWeek(string? idempotencyKey = null, params (string Name, string? Value)[] extra) =>
        new(IngestWeekPipeline.Name,
            new Dictionary<string, string?> { ["week"] = "2024-01-08" }.Concat(extra.ToDictionary(e => e.Name, e => e.Value)).ToDictionary(),
            Lane.Backfill, TriggerSource.Api, "week:2024-01-08", idempotencyKey);

    [Fact]
    public async Task Unknown_pipeline_throws_before_the_ledger_sees_anything()
    {
        var request = new SubmitRequest("test.alpha.nope", new Dictionary<string, string?>());

        var error = await Assert.ThrowsAsync<NotFoundError>(() => _dispatcher.SubmitAsync(request, null, CancellationToken.None));

        Assert.Equal(ErrorCodes.PipelineNotFound, error.Code);
        Assert.Empty(_ledger.Calls);
    }

    [Fact]
    public async Task Bad_parameters_throw_a_validation_error_before_anything_is_stored()
    {
        var request = new SubmitRequest(IngestWeekPipeline.Name, new Dictionary<string, string?> { ["week"] = "next monday", ["limt"] = "5" });

        var error = await Assert.ThrowsAsync<ValidationError>(() => _dispatcher.SubmitAsync(request, null, CancellationToken.None));

        Assert.Equal(["limt", "week"], error.Problems.Select(p => p.Field));
        Assert.Empty(_ledger.Calls);
        Assert.Empty(_runs.Runs);
    }

    [Fact]
    public async Task Successful_run_is_recorded_as_completed_with_its_metrics_quality_and_timings()
    {
        var record = await _dispatcher.SubmitAsync(IngestWeek(), null, CancellationToken.None);

        Assert.Equal(ExecutionStatus.Completed, record.Status);
        Assert.Equal(IngestWeekPipeline.Name, record.Pipeline);
        Assert.Equal(new Dictionary<string, double> { ["rows_read"] = 12, ["rows_inserted"] = 10 }, record.Metrics);
        Assert.Equal([QualityResult.Pass("rows_present", "10 rows")], record.Quality);
        Assert.Equal(2, record.RejectCount);
        Assert.Null(record.Error);
        Assert.Equal(Start, record.CreatedAt);
        Assert.Equal(Start, record.StartedAt);
        Assert.Equal(Start.AddSeconds(5), record.CompletedAt);
        Assert.Equal(TimeSpan.FromSeconds(5), record.Duration);
        Assert.Equal(Lane.Backfill, record.Lane);
        Assert.Equal(TriggerSource.Api, record.TriggerSource);
        Assert.Equal("week:2024-01-08", record.LogicalKey);
        Assert.Equal([record.ExecutionId], _runs.Runs);
        Assert.Equal(
            [$"create {record.ExecutionId}", $"running {record.ExecutionId}", $"complete {record.ExecutionId}", $"find {record.ExecutionId}"],
            _ledger.Calls);
    }

    [Fact]
    public async Task Recorded_parameters_are_the_validated_ones_with_defaults_as_text()
    {
        var record = await _dispatcher.SubmitAsync(IngestWeek(null, ("tier", "nms tier 1")), null, CancellationToken.None);

        Assert.Equal(
            new Dictionary<string, string> { ["week"] = "2024-01-08", ["tier"] = "NMS_TIER_1", ["limit"] = "10", ["dry_run"] = "false" },
            record.Parameters);
    }

    [Fact]
    public async Task Execution_id_is_made_from_the_clock()
    {
        var record = await _dispatcher.SubmitAsync(IngestWeek(), null, CancellationToken.None);

        Assert.StartsWith($"exec_{Start.ToUnixTimeMilliseconds():x12}", record.ExecutionId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Known_idempotency_key_returns_the_same_execution_without_running_again()
    {
        var first = await _dispatcher.SubmitAsync(IngestWeek("weekly-2024-01-08"), null, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var second = await _dispatcher.SubmitAsync(IngestWeek("weekly-2024-01-08"), null, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Single(_ledger.Records);
        Assert.Equal([first.ExecutionId], _runs.Runs);
        Assert.Equal("find-key weekly-2024-01-08", _ledger.Calls[^1]);
    }

    [Fact]
    public async Task Different_idempotency_keys_run_separately()
    {
        var first = await _dispatcher.SubmitAsync(IngestWeek("a"), null, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = await _dispatcher.SubmitAsync(IngestWeek("b"), null, CancellationToken.None);

        Assert.NotEqual(first.ExecutionId, second.ExecutionId);
        Assert.Equal(2, _runs.Runs.Count);
    }

    [Fact]
    public async Task Pipeline_throwing_a_source_error_is_recorded_as_failed_with_that_code_and_not_thrown()
    {
        var record = await _dispatcher.SubmitAsync(new SubmitRequest(FailingSourcePipeline.Name, new Dictionary<string, string?>()), null, CancellationToken.None);

        Assert.Equal(ExecutionStatus.Failed, record.Status);
        Assert.NotNull(record.Error);
        Assert.Equal(ErrorCodes.SourceMalformed, record.Error.Code);
        Assert.Equal("feed.csv line 3: 2 fields where the header has 3.", record.Error.Message);
        Assert.Equal("feed.csv", record.Error.Details["source"]);
        Assert.Equal(3L, record.Error.Details["line"]);
        Assert.Empty(record.Metrics);
        Assert.NotNull(record.CompletedAt);
    }

    [Fact]
    public async Task Quality_gate_failure_records_the_failed_checks()
    {
        var record = await _dispatcher.SubmitAsync(new SubmitRequest(FailingGatePipeline.Name, new Dictionary<string, string?>()), null, CancellationToken.None);

        Assert.Equal(ExecutionStatus.Failed, record.Status);
        Assert.Equal(ErrorCodes.QualityGateFailed, record.Error?.Code);
        Assert.Equal([QualityResult.Fail("shares_sum_to_100", "shares sum to 97.5%")], record.Quality);
        Assert.Equal("Quality gate failed: shares_sum_to_100: shares sum to 97.5%", record.Error?.Message);
    }

    [Fact]
    public async Task Unexpected_exception_is_recorded_as_internal()
    {
        var record = await _dispatcher.SubmitAsync(new SubmitRequest(CrashingPipeline.Name, new Dictionary<string, string?>()), null, CancellationToken.None);

        Assert.Equal(ExecutionStatus.Failed, record.Status);
        Assert.Equal(ErrorCodes.Internal, record.Error?.Code);
        Assert.Equal("Sequence contains no elements", record.Error?.Message);
        Assert.Equal("InvalidOperationException", record.Error?.Details["type"]);
    }

    [Fact]
    public async Task Caller_cancellation_is_recorded_as_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var record = await _dispatcher.SubmitAsync(new SubmitRequest(CancellablePipeline.Name, new Dictionary<string, string?>()), null, cancellation.Token);

        Assert.Equal(ExecutionStatus.Cancelled, record.Status);
        Assert.Equal(ErrorCodes.Cancelled, record.Error?.Code);
    }

    [Fact]
    public async Task Cancellation_that_is_not_the_callers_is_recorded_as_a_failure_not_thrown()
    {
        var record = await _dispatcher.SubmitAsync(new SubmitRequest(TimingOutPipeline.Name, new Dictionary<string, string?>()), null, CancellationToken.None);

        Assert.Equal(ExecutionStatus.Failed, record.Status);
        Assert.Equal(ExecutionStatus.Failed, Assert.Single(_ledger.Records).Status);
    }

    [Fact]
    public async Task A_pipeline_rule_refuses_parameters_before_the_ledger_sees_anything()
    {
        var request = new SubmitRequest(DateRangePipeline.Name, new Dictionary<string, string?> { ["start"] = "2024-02-01", ["end"] = "2024-01-01" });

        var error = await Assert.ThrowsAsync<ValidationError>(() => _dispatcher.SubmitAsync(request, null, CancellationToken.None));

        Assert.Equal(("end", "RANGE_REVERSED"), (error.Problems.Single().Field, error.Problems.Single().Code));
        Assert.Empty(_ledger.Calls);
    }

    [Fact]
    public async Task Pipeline_rules_run_only_on_parameters_that_passed_their_spec()
    {
        var request = new SubmitRequest(DateRangePipeline.Name, new Dictionary<string, string?> { ["start"] = "2024-02-01", ["end"] = "soon" });

        var error = await Assert.ThrowsAsync<ValidationError>(() => _dispatcher.SubmitAsync(request, null, CancellationToken.None));

        Assert.Equal("INVALID_TYPE", error.Problems.Single().Code);
        Assert.NotNull(Registry.Get(DateRangePipeline.Name).Rules);
        Assert.Null(Registry.Get(CancellablePipeline.Name).Rules);
    }
}
