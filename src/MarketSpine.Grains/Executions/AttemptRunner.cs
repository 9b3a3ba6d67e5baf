using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Registry;
using MarketSpine.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// Runs one attempt of a pipeline on a worker thread and turns whatever happens into a
/// <see cref="PipelineResult"/>: its outcome, its error (with a stable code), a cancellation, or a
/// timeout. A pipeline that ignores its token is abandoned <see cref="ExecutionOptions.StopGrace"/>
/// after cancellation or its timeout, so an execution always ends.
/// </summary>
public sealed partial class AttemptRunner(
    PipelineRegistry registry, IServiceProvider services, IExecutionStore store, ExecutionOptions options, ILoggerFactory loggerFactory, TimeProvider time)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<AttemptRunner>();

    /// <summary>Runs the attempt; never throws: whatever goes wrong is the result's error.</summary>
    internal async Task<PipelineResult> RunAsync(AttemptWork work, Func<PipelineProgress, Task> reportProgress)
    {
        var started = time.GetUtcNow();
        try
        {
            return await RunPipelineAsync(work, reportProgress, started);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Before the pipeline ran (this silo does not know it, say) or after (its logs could not be flushed).
            LogCrashed(exception, work.ExecutionId, work.Pipeline, work.Attempt);
            return Failure(started, SpineError.Describe(exception), []);
        }
        finally
        {
            // No-op when the run said already; otherwise the pipeline never started.
            work.EndPipeline(stopped: true);
        }
    }

    private async Task<PipelineResult> RunPipelineAsync(AttemptWork work, Func<PipelineProgress, Task> reportProgress, DateTimeOffset started)
    {
        var descriptor = registry.Get(work.Pipeline);
        var pipelineLogger = loggerFactory.CreateLogger(descriptor.PipelineType);
        using var scope = pipelineLogger.BeginScope(new Dictionary<string, object>
        {
            ["ExecutionId"] = work.ExecutionId, ["Pipeline"] = descriptor.Name, ["Attempt"] = work.Attempt,
        });
        await using var logs = new ExecutionLogCapture(pipelineLogger, store, work.ExecutionId, work.Attempt, options.LogLinesKept, time);
        var progress = new ProgressForwarder(reportProgress, options.ProgressInterval, time);
        using var timeout = new CancellationTokenSource(work.RunTimeout, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(work.Cancellation.Token, timeout.Token);
        LogStarted(work.ExecutionId, descriptor.Name, work.Attempt);

        Task<PipelineOutcome> run;
        try
        {
            var parameters = descriptor.Validate(work.Parameters.ToDictionary(pair => pair.Key, pair => (string?)pair.Value));
            var pipeline = descriptor.Create(services);
            var context = new PipelineContext(work.ExecutionId, descriptor.Name, parameters, logs, progress, time);
            run = Task.Run(() => pipeline.RunAsync(context, stop.Token), CancellationToken.None);
        }
        catch (Exception exception)
        {
            run = Task.FromException<PipelineOutcome>(exception);
        }

        PipelineResult result;
        using var ran = new CancellationTokenSource();
        var abandon = AbandonAsync(stop.Token, ran.Token);
        var first = await Task.WhenAny(run, abandon);
        work.EndPipeline(stopped: first == run);
        await ran.CancelAsync();
        if (first != run)
        {
            // Whatever it ends with later is of no interest; observed so that it is not reported as unobserved.
            _ = run.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

            // The pipeline ignored its token for the whole grace: leave it behind, end the attempt.
            var abandoned = $"The pipeline did not stop within {options.StopGrace} of being told to; it was abandoned.";
            result = Failure(started, work.Cancellation.IsCancellationRequested
                ? ErrorInfo.Of(ErrorCodes.Cancelled, abandoned)
                : ErrorInfo.Of(ErrorCodes.Timeout, $"The attempt ran past its time limit of {work.RunTimeout}. {abandoned}"), []);
            LogAbandoned(work.ExecutionId, descriptor.Name, work.Attempt);
        }
        else
        {
            result = await OutcomeAsync(run, started, work, timeout);
        }

        await progress.FlushAsync();
        return result;
    }

    private async Task<PipelineResult> OutcomeAsync(Task<PipelineOutcome> run, DateTimeOffset started, AttemptWork work, CancellationTokenSource timeout)
    {
        try
        {
            var outcome = await run;
            var completed = new PipelineResult(ExecutionStatus.Completed, started, time.GetUtcNow(), outcome.Metrics, outcome.Outputs, outcome.Quality, outcome.RejectCount, null);
            LogCompleted(work.ExecutionId, work.Pipeline, work.Attempt, completed.Duration.TotalMilliseconds);
            return completed;
        }
        catch (OperationCanceledException) when (work.Cancellation.IsCancellationRequested)
        {
            return Failure(started, ErrorInfo.Of(ErrorCodes.Cancelled, "The execution was cancelled."), []) with { Status = ExecutionStatus.Cancelled };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return Failure(started, ErrorInfo.Of(ErrorCodes.Timeout, $"The attempt ran past its time limit of {work.RunTimeout} and was stopped."), []);
        }
        catch (Exception exception)
        {
            // A cancellation raised inside the pipeline (an HTTP timeout, say) is a failure like any other.
            var error = exception is OperationCanceledException
                ? ErrorInfo.Of(ErrorCodes.Internal, $"The pipeline was cancelled from inside, not by the runtime (a timeout?): {exception.Message}")
                : SpineError.Describe(exception);
            if (exception is SpineError)
            {
                LogFailed(work.ExecutionId, work.Pipeline, work.Attempt, error.Code, exception.Message);
            }
            else
            {
                LogCrashed(exception, work.ExecutionId, work.Pipeline, work.Attempt);
            }

            return Failure(started, error, exception is QualityGateError gate ? gate.Failed : []);
        }
    }

    private PipelineResult Failure(DateTimeOffset started, ErrorInfo error, IReadOnlyList<Core.Quality.QualityResult> quality) =>
        new(ExecutionStatus.Failed, started, time.GetUtcNow(), new Dictionary<string, double>(), new Dictionary<string, string>(), quality, 0, error);

    /// <summary>
    /// Completes <see cref="ExecutionOptions.StopGrace"/> after <paramref name="stop"/> is cancelled,
    /// never before; once <paramref name="ran"/> is cancelled (the run ended first) it completes at once.
    /// </summary>
    private async Task AbandonAsync(CancellationToken stop, CancellationToken ran)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (stop.Register(() => stopped.TrySetResult()))
        await using (ran.Register(() => stopped.TrySetCanceled(ran)))
        {
            try
            {
                await stopped.Task;
                await Task.Delay(options.StopGrace, time, ran);
            }
            catch (OperationCanceledException) when (ran.IsCancellationRequested)
            {
                // The run ended on its own.
            }
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Execution {ExecutionId} of {Pipeline} started attempt {Attempt}")]
    private partial void LogStarted(string executionId, string pipeline, int attempt);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Execution {ExecutionId} of {Pipeline} completed attempt {Attempt} in {DurationMs:F0} ms")]
    private partial void LogCompleted(string executionId, string pipeline, int attempt, double durationMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Execution {ExecutionId} of {Pipeline} failed attempt {Attempt} with {ErrorCode}: {ErrorMessage}")]
    private partial void LogFailed(string executionId, string pipeline, int attempt, string errorCode, string errorMessage);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Execution {ExecutionId} of {Pipeline} crashed in attempt {Attempt}")]
    private partial void LogCrashed(Exception exception, string executionId, string pipeline, int attempt);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Execution {ExecutionId} of {Pipeline} ignored its cancellation in attempt {Attempt} and was abandoned")]
    private partial void LogAbandoned(string executionId, string pipeline, int attempt);
}
