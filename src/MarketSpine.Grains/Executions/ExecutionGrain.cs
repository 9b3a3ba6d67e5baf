using System.Globalization;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Timers;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Grains.Hosting;
using MarketSpine.Grains.LogicalKeys;
using MarketSpine.Grains.Workers;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// The execution state machine (see <see cref="IExecutionGrain"/>). Its one reminder, the watchdog,
/// finds attempts orphaned by a dead silo, starts the retry that is due (a failed attempt moves its
/// next tick to the retry's due time) and repairs whatever a crash interrupted (a lost key notice, an
/// unreleased key). It is written only where the execution needs it: from the submission when the
/// execution waits behind another on its logical key or is left for another process to run, at a
/// failed attempt's retry, at a clean stop of its silo; otherwise only once the execution has gone a
/// watchdog period unfinished, when <see cref="ExecutionSweeperGrain"/> asks for it. Most executions
/// end sooner and never write one (two statements of five saved, measured in docs/benchmarks.md).
/// </summary>
[GrainType("execution")]
public sealed partial class ExecutionGrain(
    IExecutionStore store, ExecutionWrites writes, LaneWorkerPools pools, AttemptRunner runner, ExecutionEndings endings, ExecutionOptions options)
    : Grain, IExecutionGrain
{
    private const string Watchdog = "watchdog";

    private ExecutionRecord? _record;

    /// <summary>Whether <see cref="_record"/> was read from the store (or written) by this activation.</summary>
    private bool _loaded;

    private AttemptWork? _attempt;
    private IGrainTimer? _keepAlive;

    /// <summary>The lane-pool admission this activation waits for; null when it waits for none.</summary>
    private Guid? _ticket;

    /// <summary>Whether this activation registered the watchdog with the waiting period; null when it does not know.</summary>
    private bool? _watchdogWaiting;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var stopping = reason == DeactivationReason.SiloStopping;
        if (_attempt is not { } attempt)
        {
            if (stopping && _ticket is not null && _record is { Status: ExecutionStatus.Queued, Watched: false })
            {
                // Its turn in this silo's lane pool will not come, and no watchdog would bring it anywhere
                // else: one due at once takes it to the silo that claims the tick.
                await HandOffQuietlyAsync(() => WatchFromAsync(TimeProvider.GetUtcNow(), waiting: false, cancellationToken));
            }

            return;
        }

        // Leaving under a running attempt: stop the pipeline. On a clean stop of the silo, once the
        // pipeline has stopped, the execution goes back to the queue without the attempt counted, for
        // another silo (or this one, restarted) to run; a pipeline that would not stop, or an activation
        // found stale, hands the attempt to the retry policy as orphaned. A stale activation's write is
        // refused, and the store keeps the newer state.
        _attempt = null;
        _keepAlive?.Dispose();
        CancelOffTurn(attempt);
        await HandOffQuietlyAsync(async () =>
        {
            if (_record is { Status: ExecutionStatus.Cancelling } record)
            {
                await EndCancelledAsync(record, "cancelled; the silo running the attempt stopped before the pipeline did");
            }
            else if (_record is { Status: ExecutionStatus.Running } running)
            {
                if (stopping && await StoppedWithinGraceAsync(attempt, cancellationToken))
                {
                    await RequeueAsync(running, $"Silo {RuntimeIdentity} stopped; it stopped the pipeline of attempt {attempt.Attempt}, which does not count.");
                }
                else
                {
                    await FailAttemptAsync(ErrorInfo.Of(ErrorCodes.Orphaned, $"Silo {RuntimeIdentity} stopped during attempt {attempt.Attempt} ({reason})."),
                        ExecutionEventTypes.Orphaned, null, []);
                }
            }
        });
    }

    public async Task<SubmitOutcome> SubmitAsync(ExecutionSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);

        // Not read first: a new execution (the usual case) has no row, and an id already stored is
        // found by the insert, which then stores nothing.
        if (_record is not null)
        {
            return new SubmitOutcome(_record, null);
        }

        var id = GrainKey;
        KeyAcquisition? acquisition = null;
        if (submission.LogicalKey is { } logicalKey)
        {
            acquisition = await Key(logicalKey).AcquireAsync(id, submission.KeyPolicy);
            if (acquisition.Result == KeyAcquisitionResult.Rejected)
            {
                DeactivateOnIdle();
                return new SubmitOutcome(null, acquisition.Holder);
            }
        }

        var now = TimeProvider.GetUtcNow();
        var created = new ExecutionRecord(id, submission.Pipeline, submission.Parameters, ExecutionStatus.Pending, submission.Lane, submission.TriggerSource,
            submission.LogicalKey, submission.IdempotencyKey, now, null, null, new Dictionary<string, double>(), new Dictionary<string, string>(), [], 0, null)
        {
            MaxAttempts = submission.Retry.MaxAttempts,
            ParentExecutionId = submission.ParentExecutionId,
            RetryOf = submission.RetryOf,
            Retry = submission.Retry,
            RunTimeout = submission.RunTimeout,
            UpdatedAt = now,
        };
        var events = new List<(string, Dictionary<string, string>)>
        {
            (ExecutionEventTypes.Created, Data(("pipeline", submission.Pipeline), ("lane", submission.Lane.ToString().ToLowerInvariant()),
                ("trigger", submission.TriggerSource.ToString().ToLowerInvariant()), ("logical_key", submission.LogicalKey), ("retry_of", submission.RetryOf))),
        };
        ExecutionRecord record;
        if (acquisition?.Result == KeyAcquisitionResult.Skipped)
        {
            var reason = $"Logical key '{submission.LogicalKey}' is held by execution {acquisition.Holder}; skipped as the submission asked.";
            record = created with { Status = ExecutionStatus.Cancelled, CompletedAt = now, Error = ErrorInfo.Of(ErrorCodes.LogicalKeyHeld, reason) };
            events.Add((ExecutionEventTypes.Cancelled, Data(("reason", reason))));
        }
        else
        {
            record = created with { Status = ExecutionStatus.Queued, QueuedAt = now };
            events.Add((ExecutionEventTypes.Queued, acquisition?.Result == KeyAcquisitionResult.Queued
                ? Data(("waiting_for", acquisition.Holder), ("position", acquisition.Position.ToString(CultureInfo.InvariantCulture)))
                : []));
        }

        var numbered = Number(record, 0, events);
        var waiting = acquisition?.Result == KeyAcquisitionResult.Queued;

        // A watchdog from the start only where the execution could wait long for nothing but it: behind
        // another execution on its key (the watchdog repairs a turn notice lost with a silo), or for a
        // process that runs attempts (this one runs none). Any other gets one from the sweeper if it is
        // still unfinished a watchdog period on.
        var watched = !record.IsTerminal && (waiting || !options.RunsAttempts);
        record = record with { Version = 1, EventCount = numbered.Count, Watched = watched };
        ExecutionRecord? existing;
        try
        {
            // The watchdog before the row: a watched execution is never stored without one. Should the
            // insert fail, the watchdog finds no row, and removes itself.
            if (watched)
            {
                var period = waiting ? options.WaitingWatchdogPeriod : options.WatchdogPeriod;
                await RegisterWatchdogAsync(new PeriodicSchedule(now + period, period), waiting);
            }

            existing = await writes.CreateAsync(new NewExecution(record, numbered));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await AbandonAsync(submission.LogicalKey, acquisition, watched);
            throw;
        }

        if (existing is not null && existing.ExecutionId == id)
        {
            // This execution, submitted again after its first activation went: it is as stored.
            _record = existing;
            _loaded = true;
            if (existing.IsTerminal)
            {
                // What this submission took again (a place at the key, a watchdog) goes back.
                await EndAsync(watched || existing.Watched);
            }
            else if (existing.Status == ExecutionStatus.Queued)
            {
                await EnqueueWhenKeyHeldAsync();
            }

            return new SubmitOutcome(existing, null);
        }

        if (existing is not null)
        {
            // Another execution took the idempotency key first: this one never existed.
            await AbandonAsync(submission.LogicalKey, acquisition, watched);
            return new SubmitOutcome(existing, null);
        }

        _record = record;
        _loaded = true;
        if (record.IsTerminal)
        {
            endings.Ended(id);
            DeactivateOnIdle();
        }
        else if (!waiting)
        {
            Enqueue();
        }

        return new SubmitOutcome(record, null);
    }

    public async Task<ExecutionRecord?> GetAsync()
    {
        await LoadAsync();
        return _record;
    }

    public async Task<ExecutionRecord?> CancelAsync(string reason)
    {
        await LoadAsync();
        if (_record is not { } record || record.IsTerminal || (record.Status == ExecutionStatus.Cancelling && _attempt is not null))
        {
            return _record;
        }

        if (record.Status == ExecutionStatus.Running && _attempt is { } attempt)
        {
            await ApplyAsync(record with { Status = ExecutionStatus.Cancelling }, [(ExecutionEventTypes.CancelRequested, Data(("reason", reason)))]);
            CancelOffTurn(attempt);
            return _record;
        }

        // Queued, waiting for a retry, or running where nothing of this activation runs it (on a silo
        // that died, or in another process sharing a single-node database).
        try
        {
            await EndCancelledAsync(record, reason);
        }
        catch (InvalidStateError) when (_attempt is null)
        {
            // This activation's copy was behind the store (another process moved the execution on): once more, from the store.
            _record = await store.FindAsync(GrainKey, CancellationToken.None);
            if (_record is { IsTerminal: false } fresh)
            {
                await EndCancelledAsync(fresh, reason);
            }
        }

        return _record;
    }

    public async Task WatchAsync()
    {
        await LoadAsync();
        if (_record is not { IsTerminal: false } record)
        {
            if (_attempt is null && _ticket is null)
            {
                // Ended meanwhile (or never stored): nothing to watch, and nothing keeps this activation.
                DeactivateOnIdle();
            }

            return;
        }

        if (!record.Watched)
        {
            // No ticket here while queued: waiting for its key, or its turn was lost with another activation (the check below tells).
            var waiting = record.Status == ExecutionStatus.Queued && record.LogicalKey is not null && _ticket is null;
            var period = waiting ? options.WaitingWatchdogPeriod : options.WatchdogPeriod;
            await WatchFromAsync(TimeProvider.GetUtcNow() + period, waiting, CancellationToken.None);
        }

        await CheckAsync(_record!);
    }

    public async Task OnKeyGrantedAsync(string key)
    {
        await LoadAsync();
        if (_record is null || _record.IsTerminal)
        {
            // A submission that failed or lost its idempotency race after queueing, or an execution
            // that ended without its release getting through: the key must not stay with it.
            await Key(key).ReleaseAsync(GrainKey);
            return;
        }

        if (_record is { Status: ExecutionStatus.Queued } && _record.LogicalKey == key && _ticket is null)
        {
            // Asked again rather than trusted: the notice may be stale.
            await EnqueueWhenKeyHeldAsync();
        }
    }

    public async Task<int?> BeginAttemptAsync(Guid ticket)
    {
        if (_ticket != ticket)
        {
            return null;
        }

        _ticket = null;
        if (_record is not { Status: ExecutionStatus.Queued } record || _attempt is not null)
        {
            return null;
        }

        var attempt = record.Attempt + 1;
        var now = TimeProvider.GetUtcNow();
        await ApplyAsync(record with
        {
            Status = ExecutionStatus.Running, Attempt = attempt, StartedAt = now, CompletedAt = null, NextAttemptAt = null, Progress = null, Error = null,
        }, [(ExecutionEventTypes.Started, Data(("silo", RuntimeIdentity)))]);

        // The source is never disposed: a cancel queued off this turn may still be on its way to it.
        _attempt = new AttemptWork(GrainKey, attempt, record.Pipeline, record.Parameters, record.RunTimeout ?? options.DefaultRunTimeout, new CancellationTokenSource());

        // Calls come rarely while a long pipeline runs; the timer keeps the activation from idle collection.
        _keepAlive = RegisterGrainTimer(static _ => Task.CompletedTask,
            new GrainTimerOptions(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)) { KeepAlive = true, Interleave = true });
        return attempt;
    }

    public async Task ReportProgressAsync(int attempt, PipelineProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (_attempt?.Attempt != attempt || _record is not { Status: ExecutionStatus.Running or ExecutionStatus.Cancelling } record)
        {
            return;
        }

        var events = new List<(string, Dictionary<string, string>)>();
        var previous = record.Progress?.CurrentStep;
        if (previous != progress.CurrentStep)
        {
            if (previous is not null)
            {
                events.Add((ExecutionEventTypes.StageCompleted, Data(("stage", previous))));
            }

            events.Add((ExecutionEventTypes.StageStarted, Data(("stage", progress.CurrentStep))));
        }

        events.Add((ExecutionEventTypes.Progress, Data(("step", progress.CurrentStep), ("completed", progress.Completed.ToString(CultureInfo.InvariantCulture)),
            ("total", progress.Total?.ToString(CultureInfo.InvariantCulture)))));
        await ApplyAsync(record with { Progress = new ExecutionProgress(progress.CurrentStep, progress.Completed, progress.Total) }, events);
    }

    public async Task FinishAttemptAsync(int attempt, PipelineResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_attempt?.Attempt != attempt || _record is not { Status: ExecutionStatus.Running or ExecutionStatus.Cancelling } record)
        {
            // A late answer of an attempt this activation no longer runs (abandoned, or handed off).
            return;
        }

        _attempt = null;
        _keepAlive?.Dispose();
        var stage = record.Progress?.CurrentStep;
        if (result.Status == ExecutionStatus.Completed)
        {
            List<(string, Dictionary<string, string>)> events = stage is null ? [] : [(ExecutionEventTypes.StageCompleted, Data(("stage", stage)))];
            events.Add((ExecutionEventTypes.Completed, Data(("duration_ms", ((long)result.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)))));
            await ApplyAsync(record with
            {
                Status = ExecutionStatus.Completed, StartedAt = result.StartedAt, CompletedAt = result.CompletedAt, Metrics = result.Metrics,
                Outputs = result.Outputs, Quality = result.Quality, RejectCount = result.RejectCount, Error = null,
            }, events);
            await EndAsync(_record!.Watched);
            return;
        }

        var error = result.Error ?? ErrorInfo.Of(ErrorCodes.Internal, "The attempt failed without an error.");
        List<(string, Dictionary<string, string>)> failedStage = stage is null ? [] : [(ExecutionEventTypes.StageFailed, Data(("stage", stage), ("error_code", error.Code)))];
        if (record.Status == ExecutionStatus.Cancelling || result.Status == ExecutionStatus.Cancelled)
        {
            failedStage.Add((ExecutionEventTypes.Cancelled, Data(("reason", error.Message))));
            await ApplyAsync(record with { Status = ExecutionStatus.Cancelled, CompletedAt = result.CompletedAt, Error = error }, failedStage);
            await EndAsync(_record!.Watched);
            return;
        }

        await FailAttemptAsync(error, ExecutionEventTypes.Failed, result, failedStage);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await LoadAsync();
        if (_record is not { } record)
        {
            // Registered for a submission whose row was never stored.
            await UnregisterReminderAsync(Watchdog);
            DeactivateOnIdle();
            return;
        }

        if (record.IsTerminal)
        {
            // Ended, but the key release or the watchdog removal did not get through: finish them.
            await EndAsync(watched: true);
            return;
        }

        await CheckAsync(record);
    }

    /// <summary>What a watchdog tick checks of an unfinished execution: an orphaned attempt, a retry that is due, a lost turn in the lane pool.</summary>
    private async Task CheckAsync(ExecutionRecord record)
    {
        if (_attempt is { WorkerEnded: true })
        {
            // Its worker let go without the result getting here: as good as orphaned.
            _attempt = null;
            _keepAlive?.Dispose();
        }

        switch (record.Status)
        {
            case ExecutionStatus.Running or ExecutionStatus.Cancelling when _attempt is null:
                LogOrphaned(Logger, GrainKey, record.Attempt);
                if (record.Status == ExecutionStatus.Cancelling)
                {
                    await EndCancelledAsync(record, "cancelled; the silo running the attempt died before the pipeline stopped");
                }
                else
                {
                    await FailAttemptAsync(ErrorInfo.Of(ErrorCodes.Orphaned, $"Attempt {record.Attempt} ended without its result reaching the execution (the silo running it died, or the report was lost)."),
                        ExecutionEventTypes.Orphaned, null, []);
                }

                break;
            case ExecutionStatus.Failed when record.NextAttemptAt is { } due && due <= TimeProvider.GetUtcNow():
                await ApplyAsync(record with { Status = ExecutionStatus.Queued, QueuedAt = TimeProvider.GetUtcNow(), NextAttemptAt = null },
                    [(ExecutionEventTypes.Retried, Data(("attempt", (record.Attempt + 1).ToString(CultureInfo.InvariantCulture))))]);
                await EnqueueWhenKeyHeldAsync();
                break;
            case ExecutionStatus.Queued when _ticket is null:
                await EnqueueWhenKeyHeldAsync();
                break;
        }
    }

    /// <summary>
    /// Reads the execution on the first call that needs it. Not in <c>OnActivateAsync</c>: the first
    /// call of most activations is the submission of a new execution, which has nothing to read.
    /// </summary>
    private async Task LoadAsync()
    {
        if (!_loaded)
        {
            _record = await store.FindAsync(GrainKey, CancellationToken.None);
            _loaded = true;
        }
    }

    /// <summary>A failed attempt: retried after a backoff when the policy allows, otherwise dead-lettered.</summary>
    private async Task FailAttemptAsync(ErrorInfo error, string eventType, PipelineResult? result, List<(string, Dictionary<string, string>)> events)
    {
        var record = _record!;
        var policy = record.Retry ?? options.DefaultRetry;
        var now = TimeProvider.GetUtcNow();
        var retry = record.Attempt < record.MaxAttempts && policy.IsRetryable(error.Code);
        var failed = record with
        {
            Status = ExecutionStatus.Failed, CompletedAt = result?.CompletedAt ?? now, Error = error, Quality = result?.Quality ?? record.Quality,
        };
        if (retry)
        {
            // The wait is the watchdog's next tick, moved to the due time (registered first, so that a
            // failed execution waiting for its retry never goes without it): no thread sleeps.
            var due = now + policy.BackoffBefore(record.Attempt + 1, Random.Shared);
            events.Add((eventType, Data(("error_code", error.Code), ("message", error.Message), ("will_retry", "true"),
                ("next_attempt_at", due.ToString("O", CultureInfo.InvariantCulture)))));
            await RegisterWatchdogAsync(new PeriodicSchedule(due, options.WatchdogPeriod), waiting: false);
            await ApplyAsync(failed with { NextAttemptAt = due, Watched = true }, events);
            return;
        }

        events.Add((eventType, Data(("error_code", error.Code), ("message", error.Message), ("will_retry", "false"))));
        var letter = new DeadLetter($"dlq_{GrainKey["exec_".Length..]}", GrainKey, record.Pipeline, record.Parameters, record.Lane, record.LogicalKey,
            record.Attempt, error, now, DeadLetterStatus.Open, null, null);
        events.Add((ExecutionEventTypes.DeadLettered, Data(("dead_letter_id", letter.DeadLetterId), ("attempts", record.Attempt.ToString(CultureInfo.InvariantCulture)))));
        await ApplyAsync(failed with { Status = ExecutionStatus.DeadLettered, NextAttemptAt = null }, events, letter);
        await EndAsync(_record!.Watched);
    }

    private async Task EndCancelledAsync(ExecutionRecord record, string reason)
    {
        await ApplyAsync(record with
        {
            Status = ExecutionStatus.Cancelled, CompletedAt = TimeProvider.GetUtcNow(), NextAttemptAt = null,
            Error = ErrorInfo.Of(ErrorCodes.Cancelled, $"Cancelled: {reason}"),
        }, [(ExecutionEventTypes.Cancelled, Data(("reason", reason)))]);
        await EndAsync(_record!.Watched);
    }

    /// <summary>
    /// Hands the execution back after its silo, stopping cleanly, stopped its pipeline: queued again with
    /// the attempt not counted, and a watchdog due at once (registered first), so that the silo that claims
    /// the tick (another one, or this one restarted) runs it. The key, if any, stays with the execution.
    /// </summary>
    private async Task RequeueAsync(ExecutionRecord record, string reason)
    {
        var now = TimeProvider.GetUtcNow();
        await RegisterWatchdogAsync(new PeriodicSchedule(now, options.WatchdogPeriod), waiting: false);
        await ApplyAsync(record with
        {
            Status = ExecutionStatus.Queued, Attempt = record.Attempt - 1, QueuedAt = now, StartedAt = null, Progress = null, Watched = true,
        }, [(ExecutionEventTypes.Requeued, Data(("reason", reason), ("interrupted_attempt", record.Attempt.ToString(CultureInfo.InvariantCulture))))]);
        LogRequeued(Logger, GrainKey, record.Attempt);
    }

    /// <summary>Registers the watchdog, first due at <paramref name="firstTick"/>, and notes on the row that the execution has it.</summary>
    private async Task WatchFromAsync(DateTimeOffset firstTick, bool waiting, CancellationToken cancellationToken)
    {
        await RegisterWatchdogAsync(new PeriodicSchedule(firstTick, waiting ? options.WaitingWatchdogPeriod : options.WatchdogPeriod), waiting, cancellationToken);
        await ApplyAsync(_record! with { Watched = true }, []);
    }

    /// <summary>
    /// Whether the pipeline of <paramref name="attempt"/>, told to stop, has stopped: it gets the stop grace
    /// (after which the runner abandons it), and a little over for the runner to say so.
    /// </summary>
    private async Task<bool> StoppedWithinGraceAsync(AttemptWork attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await attempt.PipelineEnded.WaitAsync(options.StopGrace + TimeSpan.FromSeconds(1), TimeProvider, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>A hand-off while the activation leaves: a failure is logged, and the watchdog or the sweeper takes over.</summary>
    private async Task HandOffQuietlyAsync(Func<Task> handOff)
    {
        try
        {
            await handOff();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogHandOffFailed(Logger, exception, GrainKey);
        }
    }

    /// <summary>Writes a change of this execution: the row at the version this activation holds, and its events.</summary>
    private async Task ApplyAsync(ExecutionRecord next, List<(string Type, Dictionary<string, string> Data)> events, DeadLetter? deadLetter = null)
    {
        var current = _record!;
        var numbered = Number(next, current.EventCount, events);
        next = next with { Version = current.Version + 1, EventCount = current.EventCount + numbered.Count, UpdatedAt = TimeProvider.GetUtcNow() };
        try
        {
            await writes.ApplyAsync(new ExecutionChange(next, current.Version, numbered, deadLetter));
        }
        catch (InvalidStateError)
        {
            // Someone else wrote this execution: this activation's view is stale, start afresh.
            DeactivateOnIdle();
            throw;
        }

        _record = next;
    }

    private List<ExecutionEvent> Number(ExecutionRecord record, long after, List<(string Type, Dictionary<string, string> Data)> events)
    {
        var at = TimeProvider.GetUtcNow();
        return [.. events.Select((e, i) => new ExecutionEvent(GrainKey, after + i + 1, e.Type, at, record.Attempt, e.Data))];
    }

    /// <summary>
    /// The execution ended: give its key to the next in line, then remove its watchdog when it has one.
    /// Both are tried again through a database outage; should either still fail, the watchdog finishes
    /// them later, registered now if the execution had none.
    /// </summary>
    private async Task EndAsync(bool watched)
    {
        try
        {
            if (_record!.LogicalKey is { } key)
            {
                await Persistently(() => Key(key).ReleaseAsync(GrainKey));
            }

            if (watched)
            {
                await Persistently(() => UnregisterReminderAsync(Watchdog));
            }
        }
        catch (Exception) when (!watched)
        {
            await RegisterWatchdogAsync(new PeriodicSchedule(TimeProvider.GetUtcNow() + options.WatchdogPeriod, options.WatchdogPeriod), waiting: false);
            throw;
        }

        DeactivateOnIdle();

        // After the release: a waiter of this silo that submits the next execution of the key finds it free.
        endings.Ended(GrainKey);
    }

    /// <summary>
    /// Undoes a submission that stored nothing: its place at the key (a key held by an execution that
    /// does not exist would stay held), its watchdog. Tried again through an outage; past that, the
    /// watchdog and the key's notice repair what they can.
    /// </summary>
    private async Task AbandonAsync(string? logicalKey, KeyAcquisition? acquisition, bool watchdog)
    {
        try
        {
            if (acquisition is { Result: KeyAcquisitionResult.Granted or KeyAcquisitionResult.Queued })
            {
                await Persistently(() => Key(logicalKey!).ReleaseAsync(GrainKey));
            }

            if (watchdog)
            {
                await Persistently(() => UnregisterReminderAsync(Watchdog));
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogAbandonFailed(Logger, exception, GrainKey);
        }

        DeactivateOnIdle();
    }

    private async Task RegisterWatchdogAsync(PeriodicSchedule schedule, bool waiting, CancellationToken cancellationToken = default)
    {
        await Persistently(() => RegisterOrUpdateReminderAsync(Watchdog, schedule, MissedTickPolicy.Skip, cancellationToken), cancellationToken);
        _watchdogWaiting = waiting;
    }

    /// <summary>
    /// Runs an idempotent step (a reminder's registration or removal, a key's release) again while it
    /// fails, within <see cref="ExecutionOptions.WriteRetryLimit"/>: a failure crossing silos arrives
    /// without its type, so any is taken for the database being unreachable.
    /// </summary>
    private Task Persistently(Func<Task> step, CancellationToken cancellationToken = default) =>
        OutageRetry.RunAsync(step, static exception => exception is not OutOfMemoryException, options.WriteRetryLimit, TimeProvider, cancellationToken);

    private async Task EnqueueWhenKeyHeldAsync()
    {
        if (_record!.LogicalKey is { } key)
        {
            if ((await Key(key).AcquireAsync(GrainKey, KeyPolicy.Queue)).Result != KeyAcquisitionResult.Granted)
            {
                return;
            }

            if (_record.Watched && _watchdogWaiting != false)
            {
                // Its turn came: from now on the watchdog watches a runnable execution.
                await RegisterWatchdogAsync(new PeriodicSchedule(TimeProvider.GetUtcNow() + options.WatchdogPeriod, options.WatchdogPeriod), waiting: false);
            }
        }

        Enqueue();
    }

    /// <summary>Puts the next attempt in the lane's pool; the worker runs it off this grain's turns.</summary>
    private void Enqueue()
    {
        if (_ticket is not null || !options.RunsAttempts)
        {
            return;
        }

        var ticket = Guid.NewGuid();
        _ticket = ticket;
        var self = AsReference<IExecutionGrain>();
        var lane = _record!.Lane;
        pools.Enqueue(lane, () => RunAttemptAsync(self, ticket, lane));
    }

    private async Task RunAttemptAsync(IExecutionGrain self, Guid ticket, Lane lane)
    {
        AttemptWork work;
        int attempt;
        try
        {
            // The ticket proves that the attempt is this activation's, so its work is this instance's.
            if (await self.BeginAttemptAsync(ticket) is not { } begun || Volatile.Read(ref _attempt) is not { } admitted || admitted.Attempt != begun)
            {
                return;
            }

            (work, attempt) = (admitted, begun);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogWorkerFailed(Logger, exception, GrainKey);
            return;
        }

        var result = await runner.RunAsync(work, progress => self.ReportProgressAsync(attempt, progress));

        // The lane's slot bounds running pipelines: the result is reported (the execution written, its
        // key released) after the slot goes to the next attempt, still counted by the pools' load.
        pools.Track(lane, ReportAsync(self, work, attempt, result));
    }

    private async Task ReportAsync(IExecutionGrain self, AttemptWork work, int attempt, PipelineResult result)
    {
        try
        {
            await self.FinishAttemptAsync(attempt, result);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The grain could not be told (its silo stopping, a database outage): its watchdog finds the attempt orphaned.
            LogWorkerFailed(Logger, exception, GrainKey);
        }
        finally
        {
            work.EndWorker();
        }
    }

    /// <summary>
    /// Cancels the attempt's token on the thread pool: cancelling runs the pipeline's registrations and
    /// continuations inline, which must not run inside this grain's turn.
    /// </summary>
    private void CancelOffTurn(AttemptWork work) => ThreadPool.UnsafeQueueUserWorkItem(Cancel, work, preferLocal: false);

    private void Cancel(AttemptWork work)
    {
        try
        {
            work.Cancellation.Cancel();
        }
        catch (AggregateException exception)
        {
            // A registration of the pipeline threw; the cancellation happened all the same.
            LogCancelCallbackFailed(Logger, exception, work.ExecutionId);
        }
    }

    private ILogicalKeyGrain Key(string key) => GrainFactory.GetGrain<ILogicalKeyGrain>(key);

    private static Dictionary<string, string> Data(params (string Key, string? Value)[] pairs) =>
        pairs.Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value!, StringComparer.Ordinal);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Execution {ExecutionId}: its attempt {Attempt} was orphaned (its silo died, or its result was lost); handing it to the retry policy")]
    private static partial void LogOrphaned(ILogger logger, string executionId, int attempt);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Execution {ExecutionId}: the worker could not report to the grain; the watchdog takes over")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Information, Message = "Execution {ExecutionId}: its silo stopped and stopped attempt {Attempt}; queued again, the attempt not counted")]
    private static partial void LogRequeued(ILogger logger, string executionId, int attempt);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Execution {ExecutionId}: could not hand it off while the activation left; the watchdog or the sweeper takes over")]
    private static partial void LogHandOffFailed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "Execution {ExecutionId}: a cancellation callback of the pipeline threw")]
    private static partial void LogCancelCallbackFailed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Execution {ExecutionId}: could not undo a submission that stored nothing; its watchdog and key notice repair it")]
    private static partial void LogAbandonFailed(ILogger logger, Exception exception, string executionId);
}
