using MarketSpine.Grains.Embedded;
using MarketSpine.Cli.Output;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Cli.Commands;

/// <summary>
/// Waits for a submitted execution to end, showing the progress its pipeline stores (bars on a terminal,
/// one line per step on a pipe). When this process serves the database it waits on the grain
/// (<see cref="IExecutionSubmitter.WaitAsync"/>); when another process (or a server, <c>--server</c>) runs
/// the execution it polls. Interrupted (Ctrl-C), it cancels the execution and waits, a bounded time, for it to stop.
/// </summary>
public static class ExecutionWaiter
{
    /// <summary>How often the progress is looked at.</summary>
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(250);

    /// <summary>How long an interrupted command waits for its execution to stop: the runtime's stop grace and some.</summary>
    private static readonly TimeSpan CancelLimit = TimeSpan.FromSeconds(20);

    /// <summary>Returns the execution as it ended, and whether the wait was interrupted (the execution then cancelled, or still stopping).</summary>
    public static Task<(ExecutionRecord Record, bool Interrupted)> WaitAsync(CliContext cli, SiloSession session, ExecutionRecord submitted, CancellationToken cancellationToken) =>
        ProgressRenderer.RunAsync(cli.Console, cli.Error, async progress =>
        {
            var shown = new ShownProgress(progress, session);
            var record = submitted;
            var lastServedCheck = DateTimeOffset.UtcNow;
            try
            {
                while (!record.IsTerminal)
                {
                    if (session.Serving)
                    {
                        record = await session.Dispatcher.WaitAsync(record.ExecutionId, Slice, cancellationToken);
                        await shown.ShowAsync(record);
                        continue;
                    }

                    await Task.Delay(Slice, cancellationToken);
                    record = await session.Dispatcher.GetAsync(record.ExecutionId, cancellationToken);
                    await shown.ShowAsync(record);
                    if (!record.IsTerminal && session.Remote is null && DateTimeOffset.UtcNow - lastServedCheck > TimeSpan.FromSeconds(2))
                    {
                        lastServedCheck = DateTimeOffset.UtcNow;
                        if (!SiloLock.IsHeld(session.DatabasePath, out _))
                        {
                            throw new InvalidStateError(ErrorCodes.InvalidState,
                                $"The process that served {session.DatabasePath} stopped; execution {record.ExecutionId} is {record.Status.ToText()}. "
                                + "It runs when a worker serves the database ('spine worker start').");
                        }
                    }
                }

                return (record, false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return (await CancelAndWaitAsync(session, record.ExecutionId, "interrupted (Ctrl-C)", cli.Error), true);
            }
        });

    /// <summary>
    /// Cancels through the dispatcher, or through the process that runs it, then waits for the execution to
    /// end; both within <see cref="CancelLimit"/> (the embedded store has one writer: the cancellation is
    /// recorded only once a pipeline's write transaction commits). Returns the execution as it then is.
    /// </summary>
    public static async Task<ExecutionRecord> CancelAndWaitAsync(SiloSession session, string executionId, string reason, TextWriter? notice = null)
    {
        var dispatcher = session.Dispatcher;
        var deadline = DateTimeOffset.UtcNow + CancelLimit;
        if (notice is not null)
        {
            await notice.WriteLineAsync($"… cancelling {executionId}: waiting up to {CancelLimit.TotalSeconds:0} s for its pipeline to stop");
        }

        try
        {
            Task cancel = session.Mailbox is { } mailbox && session.ServedBy is not null && !session.Serving
                ? mailbox.PostCancelAsync(executionId, reason, CancelLimit, CancellationToken.None)
                : dispatcher.CancelAsync(executionId, reason, CancellationToken.None);
            await cancel.WaitAsync(CancelLimit);
        }
        catch (InvalidStateError)
        {
            // It ended meanwhile (or the serving process did not take the request in time).
        }
        catch (TimeoutException)
        {
            // The cancellation is still being recorded; what the execution then is gets printed.
        }

        var left = deadline - DateTimeOffset.UtcNow;
        if (session.Serving)
        {
            return await dispatcher.WaitAsync(executionId, left > TimeSpan.Zero ? left : TimeSpan.Zero, CancellationToken.None);
        }

        var record = await dispatcher.GetAsync(executionId, CancellationToken.None);
        while (!record.IsTerminal && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(Slice, CancellationToken.None);
            record = await dispatcher.GetAsync(executionId, CancellationToken.None);
        }

        return record;
    }

    /// <summary>Turns the stored state into progress reports: the pipeline's steps, and the waits between them.</summary>
    private sealed class ShownProgress(IProgress<PipelineProgress> progress, SiloSession session)
    {
        private string? _last;
        private string? _queued;

        public async Task ShowAsync(ExecutionRecord record)
        {
            var step = record switch
            {
                { Status: ExecutionStatus.Running or ExecutionStatus.Cancelling, Progress: { } p } => new PipelineProgress(p.CurrentStep, p.Completed, p.Total),
                { Status: ExecutionStatus.Queued, Attempt: 0 } => new PipelineProgress(_queued ??= await QueuedAsync(record), 0, null),
                { Status: ExecutionStatus.Failed, NextAttemptAt: { } next, Error: var error } =>
                    new PipelineProgress($"attempt {record.Attempt} of {record.MaxAttempts} failed ({error?.Code}); next at {ExecutionPrinter.Time(next)}", 0, null),
                _ => null,
            };
            if (step is null || (step.CurrentStep == _last && step.Total is null))
            {
                return;
            }

            _last = step.CurrentStep;
            progress.Report(step);
        }

        /// <summary>What a queued execution waits for: its logical key's holder (its queued event says), or a lane's slot.</summary>
        private async Task<string> QueuedAsync(ExecutionRecord record)
        {
            var events = await session.Dispatcher.EventsAsync(record.ExecutionId, 0, 5, CancellationToken.None);
            if (events.FirstOrDefault(e => e.Type == ExecutionEventTypes.Queued)?.Data.GetValueOrDefault("waiting_for") is { } holder)
            {
                return $"queued behind {holder} for logical key {record.LogicalKey}";
            }

            return "queued";
        }
    }
}
