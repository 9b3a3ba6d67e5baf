using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Registry;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Core.Execution;

/// <summary>
/// The command layer every surface calls to run a pipeline. In the embedded tier it runs the
/// pipeline in-process and waits; the contract (request in, execution record out) is the one
/// the runtime tiers keep when runs move onto grains.
/// </summary>
public sealed partial class Dispatcher(
    PipelineRegistry registry,
    IExecutionLedger ledger,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    TimeProvider clock)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<Dispatcher>();

    /// <summary>
    /// Validates, records and runs. Unknown pipelines and bad parameters throw before anything is
    /// stored. A known idempotency key returns the existing execution instead of running again.
    /// A run that fails is recorded as failed and returned, not thrown.
    /// </summary>
    public async Task<ExecutionRecord> SubmitAsync(SubmitRequest request, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var descriptor = registry.Get(request.Pipeline);
        var parameters = descriptor.Validate(request.Parameters);

        if (request.IdempotencyKey is { } key && await ledger.FindByIdempotencyKeyAsync(key, cancellationToken) is { } existing)
        {
            LogIdempotentHit(existing.ExecutionId, key);
            return existing;
        }

        var created = clock.GetUtcNow();
        var executionId = ExecutionIds.New(created);
        var record = new ExecutionRecord(
            executionId, descriptor.Name, parameters.ToText(), ExecutionStatus.Pending, request.Lane, request.TriggerSource,
            request.LogicalKey, request.IdempotencyKey, created, null, null,
            new Dictionary<string, double>(), new Dictionary<string, string>(), [], 0, null);
        await ledger.CreateAsync(record, cancellationToken);

        var pipelineLogger = loggerFactory.CreateLogger(descriptor.PipelineType);
        using var scope = pipelineLogger.BeginScope(new Dictionary<string, object> { ["ExecutionId"] = executionId, ["Pipeline"] = descriptor.Name });
        var started = clock.GetUtcNow();
        await ledger.MarkRunningAsync(executionId, started, cancellationToken);
        LogStarted(executionId, descriptor.Name);

        var context = new PipelineContext(executionId, descriptor.Name, parameters, pipelineLogger,
            progress ?? new Progress<PipelineProgress>(), clock);
        PipelineResult result;
        try
        {
            var pipeline = descriptor.Create(services);
            var outcome = await pipeline.RunAsync(context, cancellationToken);
            result = new PipelineResult(ExecutionStatus.Completed, started, clock.GetUtcNow(), outcome.Metrics, outcome.Outputs, outcome.Quality, outcome.RejectCount, null);
            LogCompleted(executionId, descriptor.Name, result.Duration.TotalMilliseconds);
        }
        catch (Exception exception)
        {
            // Only the caller's own token makes a run "cancelled"; a cancellation raised inside the
            // pipeline (an HTTP timeout, say) is a failure like any other, and is recorded, not thrown.
            var cancelledByCaller = exception is OperationCanceledException && cancellationToken.IsCancellationRequested;
            var status = cancelledByCaller ? ExecutionStatus.Cancelled : ExecutionStatus.Failed;
            var error = exception is OperationCanceledException && !cancelledByCaller
                ? ErrorInfo.Of(ErrorCodes.Internal, $"The pipeline was cancelled from inside, not by the caller (a timeout?): {exception.Message}")
                : SpineError.Describe(exception);
            var quality = exception is QualityGateError gate ? gate.Failed : [];
            result = new PipelineResult(status, started, clock.GetUtcNow(), new Dictionary<string, double>(), new Dictionary<string, string>(), quality, 0, error);
            if (exception is SpineError || cancelledByCaller)
            {
                LogFailed(executionId, descriptor.Name, error.Code, exception.Message);
            }
            else
            {
                LogCrashed(exception, executionId, descriptor.Name);
            }
        }

        // The outcome is recorded even when the caller gave up: a cancelled CLI still leaves an honest row.
        await ledger.CompleteAsync(executionId, result, CancellationToken.None);
        return await ledger.FindAsync(executionId, CancellationToken.None)
               ?? throw new InvalidOperationException($"Execution {executionId} vanished from the ledger after completing.");
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Execution {ExecutionId} of {Pipeline} started")]
    private partial void LogStarted(string executionId, string pipeline);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Execution {ExecutionId} of {Pipeline} completed in {DurationMs:F0} ms")]
    private partial void LogCompleted(string executionId, string pipeline, double durationMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Execution {ExecutionId} of {Pipeline} failed with {ErrorCode}: {ErrorMessage}")]
    private partial void LogFailed(string executionId, string pipeline, string errorCode, string errorMessage);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Execution {ExecutionId} of {Pipeline} crashed")]
    private partial void LogCrashed(Exception exception, string executionId, string pipeline);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Idempotency key {IdempotencyKey} already used by execution {ExecutionId}; not running again")]
    private partial void LogIdempotentHit(string executionId, string idempotencyKey);
}
