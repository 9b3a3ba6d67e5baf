using System.Globalization;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Grains.Dispatch;
using MarketSpine.Grains.LogicalKeys;
using MarketSpine.Grains.Tests.Support;

namespace MarketSpine.Grains.Tests.Executions;

/// <summary>
/// Executions as grains on one silo, the same on each backend: the state machine, its history, logical
/// keys, retries, dead letters, cancellation, time limits, progress and logs. The class's silo is shared
/// by its tests, which run one at a time; each uses keys of its own, so none sees another's executions.
/// </summary>
public abstract class ExecutionBehaviour(ExecutionSilo silo)
{
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(50);

    private ExecutionDispatcher Dispatcher => silo.Dispatcher;

    private ExecutionBackend Backend => silo.Backend;

    protected async Task ASubmissionRunsToCompletedWithItsHistoryComplete()
    {
        var submitted = await Dispatcher.SubmitAsync(Request("test.noop"), CancellationToken.None);
        Assert.Equal(ExecutionStatus.Queued, submitted.Status);
        Assert.Equal(TriggerSource.Cli, submitted.TriggerSource);

        var done = await silo.WaitAsync(submitted.ExecutionId);
        Assert.Equal(ExecutionStatus.Completed, done.Status);
        Assert.Null(done.Error);
        Assert.Equal(1, done.Attempt);
        Assert.Equal(1, done.MaxAttempts);
        Assert.True(done.CreatedAt <= done.QueuedAt && done.QueuedAt <= done.StartedAt && done.StartedAt <= done.CompletedAt,
            $"created {done.CreatedAt:O}, queued {done.QueuedAt:O}, started {done.StartedAt:O}, completed {done.CompletedAt:O}");

        var events = await EventsAsync(done.ExecutionId);
        Assert.Equal([ExecutionEventTypes.Created, ExecutionEventTypes.Queued, ExecutionEventTypes.Started, ExecutionEventTypes.Completed], Types(events));
        AssertHistory(done, events);
        Assert.Equal([0, 0, 1, 1], events.Select(e => e.Attempt));
        Assert.Equal("test.noop", events[0].Data["pipeline"]);

        // A reader resumes after the last event it saw.
        var rest = await Dispatcher.EventsAsync(done.ExecutionId, 2, 100, CancellationToken.None);
        Assert.Equal([3L, 4L], rest.Select(e => e.Sequence));

        Assert.Equal(1, await Backend.ScalarAsync(
            "SELECT COUNT(*) FROM executions WHERE execution_id = @id AND status = 'completed' AND duration_ms IS NOT NULL AND event_count = 4 AND attempt = 1",
            ("@id", done.ExecutionId)));

        // Done well within a watchdog period: it never wrote a watchdog.
        Assert.False(done.Watched);
    }

    protected async Task AnExecutionUnfinishedAWatchdogPeriodOnGetsItsWatchdogFromTheSweeperAndLosesItAtTheEnd()
    {
        var sleeper = await Dispatcher.SubmitAsync(Request("test.sleep", ("ms", "30000")), CancellationToken.None);
        await silo.Probe.WaitForStartAsync(sleeper.ExecutionId);
        Assert.False((await Dispatcher.GetAsync(sleeper.ExecutionId, CancellationToken.None)).Watched);

        // The sweeper looks once a period (1 s here) for executions a period older than their last change.
        await Eventually.TrueAsync(async () => (await Dispatcher.GetAsync(sleeper.ExecutionId, CancellationToken.None)).Watched,
            silo.Options.WatchdogPeriod * 5, "the sweeper gave the execution its watchdog");
        Assert.Equal(1, await WatchdogsOfAsync(sleeper.ExecutionId));
        var running = await Dispatcher.GetAsync(sleeper.ExecutionId, CancellationToken.None);
        Assert.Equal((ExecutionStatus.Running, 1), (running.Status, running.Attempt));
        Assert.Equal([ExecutionEventTypes.Created, ExecutionEventTypes.Queued, ExecutionEventTypes.Started], Types(await EventsAsync(sleeper.ExecutionId)));

        await CancelAndWaitAsync(sleeper.ExecutionId);
        Assert.Equal(0, await WatchdogsOfAsync(sleeper.ExecutionId));
    }

    protected async Task BatchedWritesApplyEachExecutionByItsOwnVersion()
    {
        var store = silo.Store;
        var (a, b) = (await silo.RunAsync(Request("test.noop")), await silo.RunAsync(Request("test.noop")));
        var at = DateTimeOffset.UtcNow;
        ExecutionChange Note(ExecutionRecord record, long expected) => new(record with { Version = record.Version + 1, EventCount = record.EventCount + 1 }, expected,
            [new ExecutionEvent(record.ExecutionId, record.EventCount + 1, ExecutionEventTypes.Progress, at, record.Attempt, new Dictionary<string, string> { ["step"] = "late" })]);

        // One statement, two changes: a's writer is stale, b's is not; b is written, a is left as it was.
        Assert.Equal([false, true], await store.ApplyAllAsync([Note(a, a.Version - 1), Note(b, b.Version)], CancellationToken.None));
        Assert.Equal(a.Version, (await store.FindAsync(a.ExecutionId, CancellationToken.None))!.Version);
        Assert.Equal(a.EventCount, await Backend.ScalarAsync("SELECT COUNT(*) FROM execution_events WHERE execution_id = @id", ("@id", a.ExecutionId)));
        Assert.Equal(b.Version + 1, (await store.FindAsync(b.ExecutionId, CancellationToken.None))!.Version);
        Assert.Equal(b.EventCount + 1, await Backend.ScalarAsync("SELECT COUNT(*) FROM execution_events WHERE execution_id = @id", ("@id", b.ExecutionId)));

        // Two new executions with one idempotency key in one statement: the first is stored, the second answered with it.
        var idempotencyKey = Unique("idem");
        NewExecution New() => new(a with { ExecutionId = ExecutionIds.New(DateTimeOffset.UtcNow), IdempotencyKey = idempotencyKey, Version = 1, EventCount = 0 }, []);
        var (first, second) = (New(), New());
        var answers = await store.CreateAllAsync([first, second], CancellationToken.None);
        Assert.Null(answers[0]);
        Assert.Equal(first.Record.ExecutionId, answers[1]!.ExecutionId);
        Assert.Null(await store.FindAsync(second.Record.ExecutionId, CancellationToken.None));
    }

    protected async Task ConcurrentReadsShareStatementsAndEachGetsItsOwnExecution()
    {
        var (a, b) = (await silo.RunAsync(Request("test.noop")), await silo.RunAsync(Request("test.fail", ("code", ErrorCodes.SourceUnreadable))));
        var missing = ExecutionIds.New(DateTimeOffset.UtcNow);

        // In order, duplicates and unknown ids included, in one statement.
        var found = await silo.Store.FindAllAsync([b.ExecutionId, missing, a.ExecutionId, b.ExecutionId], CancellationToken.None);
        Assert.Equal([b.ExecutionId, null, a.ExecutionId, b.ExecutionId], found.Select(r => r?.ExecutionId));
        Assert.Equal(ExecutionStatus.DeadLettered, found[0]!.Status);
        Assert.Equal((a.Status, a.Version, a.EventCount, a.CompletedAt), (found[2]!.Status, found[2]!.Version, found[2]!.EventCount, found[2]!.CompletedAt));

        // Through the dispatcher, 300 reads at once (more than one batch) each answer their own id.
        var ids = Enumerable.Range(0, 300).Select(i => (i % 3) switch { 0 => a.ExecutionId, 1 => b.ExecutionId, _ => missing }).ToList();
        var reads = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return (await Dispatcher.GetAsync(id, CancellationToken.None)).ExecutionId;
            }
            catch (NotFoundError error) when (error.Code == ErrorCodes.ExecutionNotFound)
            {
                return null;
            }
        }));
        Assert.Equal(ids.Select(id => id == missing ? null : id), reads);

        // The dead letter each left, in one statement; the dispatcher's answer is the same.
        var letters = await silo.Store.DeadLetterIdsAsync([a.ExecutionId, b.ExecutionId, missing], CancellationToken.None);
        Assert.Null(letters[0]);
        Assert.Null(letters[2]);
        Assert.Equal(b.ExecutionId, (await silo.Store.FindDeadLetterAsync(letters[1]!, CancellationToken.None))!.ExecutionId);
        Assert.Equal(letters[1], await Dispatcher.DeadLetterIdOfAsync(found[0]!, CancellationToken.None));
        Assert.Null(await Dispatcher.DeadLetterIdOfAsync(a, CancellationToken.None));
    }

    protected async Task PlainSqlAnswersWhichExecutionsFailed()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var failed = await silo.RunAsync(Request("test.fail", ("code", ErrorCodes.SourceUnreadable)));
        var completed = await silo.RunAsync(Request("test.noop"));
        Assert.Equal(ExecutionStatus.DeadLettered, failed.Status);
        Assert.Equal(ExecutionStatus.Completed, completed.Status);

        var failedSince = await Backend.StringsAsync(
            "SELECT DISTINCT execution_id FROM execution_events WHERE event_type = 'failed' AND at >= @since", ("@since", since));
        Assert.Contains(failed.ExecutionId, failedSince);
        Assert.DoesNotContain(completed.ExecutionId, failedSince);

        var codes = await Backend.StringsAsync(
            "SELECT error_code FROM executions WHERE status = 'dead_lettered' AND execution_id IN (@failed, @completed)",
            ("@failed", failed.ExecutionId), ("@completed", completed.ExecutionId));
        Assert.Equal([ErrorCodes.SourceUnreadable], codes);
    }

    protected async Task AnUnknownPipelineOrBadParametersAreRejectedWithNothingStored()
    {
        var key = Unique("rejected");
        var executions = await Backend.ScalarAsync("SELECT COUNT(*) FROM executions");
        var events = await Backend.ScalarAsync("SELECT COUNT(*) FROM execution_events");

        var unknown = await Assert.ThrowsAsync<NotFoundError>(() => Dispatcher.SubmitAsync(Request("test.no_such_pipeline") with { LogicalKey = key }, CancellationToken.None));
        Assert.Equal(ErrorCodes.PipelineNotFound, unknown.Code);
        var missing = await Assert.ThrowsAsync<ValidationError>(() => Dispatcher.SubmitAsync(Request("test.sleep") with { LogicalKey = key }, CancellationToken.None));
        Assert.Equal("ms", Assert.Single(missing.Problems).Field);
        var badType = await Assert.ThrowsAsync<ValidationError>(() => Dispatcher.SubmitAsync(Request("test.sleep", ("ms", "soon")) with { LogicalKey = key }, CancellationToken.None));
        Assert.Equal("INVALID_TYPE", Assert.Single(badType.Problems).Code);
        var unknownParameter = await Assert.ThrowsAsync<ValidationError>(() => Dispatcher.SubmitAsync(Request("test.noop", ("colour", "red")), CancellationToken.None));
        Assert.Equal("UNKNOWN_PARAMETER", Assert.Single(unknownParameter.Problems).Code);
        await Assert.ThrowsAsync<ValidationError>(() => Dispatcher.SubmitAsync(
            Request("test.noop") with { Retry = new RetryPolicy(0, Quick, Quick, RetryPolicy.TransientCodes) }, CancellationToken.None));
        await Assert.ThrowsAsync<ValidationError>(() => Dispatcher.SubmitAsync(Request("test.noop") with { RunTimeout = TimeSpan.Zero }, CancellationToken.None));

        Assert.Equal(executions, await Backend.ScalarAsync("SELECT COUNT(*) FROM executions"));
        Assert.Equal(events, await Backend.ScalarAsync("SELECT COUNT(*) FROM execution_events"));
        await AssertKeyFreeAsync(key);
    }

    protected async Task AnIdempotencyKeyReturnsTheExecutionItNamed()
    {
        var idempotencyKey = Unique("idem");
        var first = await silo.RunAsync(Request("test.noop") with { IdempotencyKey = idempotencyKey });
        var again = await Dispatcher.SubmitAsync(Request("test.noop") with { IdempotencyKey = idempotencyKey }, CancellationToken.None);

        Assert.Equal(first.ExecutionId, again.ExecutionId);
        Assert.Equal(ExecutionStatus.Completed, again.Status);
        Assert.Equal(1, await Backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE idempotency_key = @key", ("@key", idempotencyKey)));
    }

    protected async Task ConcurrentSubmissionsWithOneIdempotencyKeyMakeOneExecution()
    {
        var idempotencyKey = Unique("idem");
        var key = Unique("key");
        var request = Request("test.sleep", ("ms", "200")) with { IdempotencyKey = idempotencyKey, LogicalKey = key };

        var submitted = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => Dispatcher.SubmitAsync(request, CancellationToken.None))));

        var id = submitted[0].ExecutionId;
        Assert.All(submitted, record => Assert.Equal(id, record.ExecutionId));
        var done = await silo.WaitAsync(id);
        Assert.Equal(ExecutionStatus.Completed, done.Status);
        Assert.Equal(1, await Backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE idempotency_key = @key OR logical_key = @logical",
            ("@key", idempotencyKey), ("@logical", key)));
        AssertHistory(done, await EventsAsync(id));

        // The submissions that lost the race gave their places in the key's queue back.
        await AssertKeyFreeAsync(key);
    }

    protected async Task ALogicalKeyRunsOneExecutionAtATimeFirstComeFirstServed()
    {
        var key = Unique("key");
        var holder = await StartSleeperAsync(key);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var submitted = await Dispatcher.SubmitAsync(Request("test.exclusive", ("key", key), ("ms", "100")) with { LogicalKey = key }, CancellationToken.None);
            Assert.Equal(ExecutionStatus.Queued, submitted.Status);
            ids.Add(submitted.ExecutionId);
        }

        var view = await Dispatcher.GetLogicalKeyAsync(key, CancellationToken.None);
        Assert.Equal(holder.ExecutionId, view.Holder);
        Assert.Equal(ids, view.Waiters);
        foreach (var (id, position) in ids.Select((id, i) => (id, i + 1)))
        {
            var queued = (await EventsAsync(id)).Single(e => e.Type == ExecutionEventTypes.Queued);
            Assert.Equal(holder.ExecutionId, queued.Data["waiting_for"]);
            Assert.Equal(position.ToString(CultureInfo.InvariantCulture), queued.Data["position"]);
        }

        await CancelAndWaitAsync(holder.ExecutionId);
        foreach (var id in ids)
        {
            Assert.Equal(ExecutionStatus.Completed, (await silo.WaitAsync(id)).Status);
        }

        Assert.Equal(ids, silo.Probe.StartsOf(key));
        Assert.DoesNotContain(silo.Probe.Overlaps, overlap => overlap.Contains(key, StringComparison.Ordinal));
        await AssertKeyFreeAsync(key);
    }

    protected async Task TheSkipPolicyEndsASubmissionCancelledWhenItsKeyIsHeld()
    {
        var key = Unique("key");
        var holder = await StartSleeperAsync(key);

        var skipped = await Dispatcher.SubmitAsync(Request("test.noop") with { LogicalKey = key, KeyPolicy = KeyPolicy.Skip }, CancellationToken.None);
        Assert.Equal(ExecutionStatus.Cancelled, skipped.Status);
        Assert.Equal(ErrorCodes.LogicalKeyHeld, skipped.Error!.Code);
        Assert.Contains(holder.ExecutionId, skipped.Error.Message, StringComparison.Ordinal);
        var stored = await Dispatcher.GetAsync(skipped.ExecutionId, CancellationToken.None);
        Assert.Equal(ExecutionStatus.Cancelled, stored.Status);
        Assert.Equal([ExecutionEventTypes.Created, ExecutionEventTypes.Cancelled], Types(await EventsAsync(skipped.ExecutionId)));
        var view = await Dispatcher.GetLogicalKeyAsync(key, CancellationToken.None);
        Assert.Equal(holder.ExecutionId, view.Holder);
        Assert.Empty(view.Waiters);

        await CancelAndWaitAsync(holder.ExecutionId);
        var free = await silo.RunAsync(Request("test.noop") with { LogicalKey = key, KeyPolicy = KeyPolicy.Skip });
        Assert.Equal(ExecutionStatus.Completed, free.Status);
        await AssertKeyFreeAsync(key);
    }

    protected async Task TheRejectPolicyRefusesASubmissionWhenItsKeyIsHeldStoringNothing()
    {
        var key = Unique("key");
        var holder = await StartSleeperAsync(key);

        var conflict = await Assert.ThrowsAsync<ConflictError>(() =>
            Dispatcher.SubmitAsync(Request("test.noop") with { LogicalKey = key, KeyPolicy = KeyPolicy.Reject }, CancellationToken.None));
        Assert.Equal(ErrorCodes.LogicalKeyHeld, conflict.Code);
        Assert.Equal(holder.ExecutionId, conflict.Details["holder"]);
        Assert.Equal(1, await Backend.ScalarAsync("SELECT COUNT(*) FROM executions WHERE logical_key = @key", ("@key", key)));

        await CancelAndWaitAsync(holder.ExecutionId);
        await AssertKeyFreeAsync(key);
    }

    protected async Task AFailedAttemptIsRetriedAfterABackoffUntilItSucceeds()
    {
        var key = Unique("key");
        var done = await silo.RunAsync(Request("test.flaky", ("failures", "2")) with { LogicalKey = key });

        Assert.Equal(ExecutionStatus.Completed, done.Status);
        Assert.Equal(3, done.Attempt);
        Assert.Equal(3, done.MaxAttempts);
        Assert.Equal(3, silo.Probe.AttemptsOf(done.ExecutionId));
        Assert.Equal(3.0, done.Metrics["attempt"]);
        var events = await EventsAsync(done.ExecutionId);
        Assert.Equal(
            [
                ExecutionEventTypes.Created, ExecutionEventTypes.Queued,
                ExecutionEventTypes.Started, ExecutionEventTypes.Failed, ExecutionEventTypes.Retried,
                ExecutionEventTypes.Started, ExecutionEventTypes.Failed, ExecutionEventTypes.Retried,
                ExecutionEventTypes.Started, ExecutionEventTypes.Completed,
            ],
            Types(events));
        AssertHistory(done, events);
        Assert.Equal([1, 2, 3], events.Where(e => e.Type == ExecutionEventTypes.Started).Select(e => e.Attempt));
        foreach (var failed in events.Where(e => e.Type == ExecutionEventTypes.Failed))
        {
            Assert.Equal(ErrorCodes.LoadFailed, failed.Data["error_code"]);
            Assert.Equal("true", failed.Data["will_retry"]);

            // The retry waited for its due time (a reminder), not less.
            var due = DateTimeOffset.Parse(failed.Data["next_attempt_at"], CultureInfo.InvariantCulture);
            var retried = events.First(e => e.Sequence > failed.Sequence && e.Type == ExecutionEventTypes.Retried);
            Assert.True(retried.At >= due, $"Retried at {retried.At:O}, before its due time {due:O}.");
        }

        await AssertKeyFreeAsync(key);
    }

    protected async Task AnExhaustedExecutionIsDeadLetteredThenRetriedAsALinkedExecutionOrDiscarded()
    {
        var key = Unique("key");
        var request = Request("test.fail", ("code", ErrorCodes.LoadFailed)) with
        {
            LogicalKey = key,
            Retry = new RetryPolicy(2, Quick, Quick, RetryPolicy.TransientCodes),
        };
        var dead = await silo.RunAsync(request);

        Assert.Equal(ExecutionStatus.DeadLettered, dead.Status);
        Assert.Equal(2, dead.Attempt);
        Assert.Equal(ErrorCodes.LoadFailed, dead.Error!.Code);
        var events = await EventsAsync(dead.ExecutionId);
        Assert.Equal(
            [
                ExecutionEventTypes.Created, ExecutionEventTypes.Queued,
                ExecutionEventTypes.Started, ExecutionEventTypes.Failed, ExecutionEventTypes.Retried,
                ExecutionEventTypes.Started, ExecutionEventTypes.Failed, ExecutionEventTypes.DeadLettered,
            ],
            Types(events));
        AssertHistory(dead, events);
        Assert.Equal("false", events[^2].Data["will_retry"]);
        await AssertKeyFreeAsync(key);

        var letter = Assert.Single(await Dispatcher.ListDeadLettersAsync(new DeadLetterQuery(Pipeline: "test.fail", Limit: 1_000), CancellationToken.None),
            l => l.ExecutionId == dead.ExecutionId);
        Assert.Equal(DeadLetterStatus.Open, letter.Status);
        Assert.Equal(2, letter.Attempts);
        Assert.Equal(ErrorCodes.LoadFailed, letter.Error.Code);
        Assert.Equal(key, letter.LogicalKey);
        Assert.Equal(ErrorCodes.LoadFailed, letter.Parameters["code"]);
        Assert.Equal(letter.DeadLetterId, events[^1].Data["dead_letter_id"]);
        Assert.Equal(1, await Backend.ScalarAsync(
            "SELECT COUNT(*) FROM dead_letters WHERE execution_id = @id AND status = 'open' AND error_code = @code AND attempts = 2",
            ("@id", dead.ExecutionId), ("@code", ErrorCodes.LoadFailed)));

        var retry = await Dispatcher.RetryDeadLetterAsync(letter.DeadLetterId, CancellationToken.None);
        Assert.NotEqual(dead.ExecutionId, retry.ExecutionId);
        Assert.Equal(dead.ExecutionId, retry.RetryOf);
        Assert.Equal(TriggerSource.Retry, retry.TriggerSource);
        Assert.Equal(key, retry.LogicalKey);
        var retried = await Dispatcher.GetDeadLetterAsync(letter.DeadLetterId, CancellationToken.None);
        Assert.Equal(DeadLetterStatus.Retried, retried.Status);
        Assert.Equal(retry.ExecutionId, retried.RetriedAs);
        Assert.NotNull(retried.ResolvedAt);
        var twice = await Assert.ThrowsAsync<InvalidStateError>(() => Dispatcher.RetryDeadLetterAsync(letter.DeadLetterId, CancellationToken.None));
        Assert.Equal(ErrorCodes.InvalidState, twice.Code);

        // The retry fails too (the pipeline always does), under the pipeline's own policy: one attempt.
        var deadAgain = await silo.WaitAsync(retry.ExecutionId);
        Assert.Equal(ExecutionStatus.DeadLettered, deadAgain.Status);
        Assert.Equal(1, deadAgain.Attempt);
        var second = Assert.Single(await Dispatcher.ListDeadLettersAsync(new DeadLetterQuery(Pipeline: "test.fail", Limit: 1_000), CancellationToken.None),
            l => l.ExecutionId == retry.ExecutionId);
        var discarded = await Dispatcher.DiscardDeadLetterAsync(second.DeadLetterId, CancellationToken.None);
        Assert.Equal(DeadLetterStatus.Discarded, discarded.Status);
        Assert.Null(discarded.RetriedAs);
        await Assert.ThrowsAsync<InvalidStateError>(() => Dispatcher.DiscardDeadLetterAsync(second.DeadLetterId, CancellationToken.None));

        var open = await Dispatcher.ListDeadLettersAsync(new DeadLetterQuery(Limit: 1_000), CancellationToken.None);
        Assert.DoesNotContain(open, l => l.ExecutionId == dead.ExecutionId || l.ExecutionId == retry.ExecutionId);
        var missing = await Assert.ThrowsAsync<NotFoundError>(() => Dispatcher.RetryDeadLetterAsync("dlq_missing", CancellationToken.None));
        Assert.Equal(ErrorCodes.DeadLetterNotFound, missing.Code);
        await AssertKeyFreeAsync(key);
    }

    protected async Task CancellingAQueuedExecutionTakesItOutOfItsKeysQueue()
    {
        var key = Unique("key");
        var holder = await StartSleeperAsync(key);
        var waiting = await Dispatcher.SubmitAsync(Request("test.noop") with { LogicalKey = key }, CancellationToken.None);
        Assert.Equal(ExecutionStatus.Queued, waiting.Status);
        Assert.Equal([waiting.ExecutionId], (await Dispatcher.GetLogicalKeyAsync(key, CancellationToken.None)).Waiters);

        var cancelled = await Dispatcher.CancelAsync(waiting.ExecutionId, "not needed", CancellationToken.None);

        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Equal(ErrorCodes.Cancelled, cancelled.Error!.Code);
        Assert.Equal([ExecutionEventTypes.Created, ExecutionEventTypes.Queued, ExecutionEventTypes.Cancelled], Types(await EventsAsync(waiting.ExecutionId)));
        Assert.Equal("not needed", (await EventsAsync(waiting.ExecutionId))[^1].Data["reason"]);
        var view = await Dispatcher.GetLogicalKeyAsync(key, CancellationToken.None);
        Assert.Equal(holder.ExecutionId, view.Holder);
        Assert.Empty(view.Waiters);
        await Assert.ThrowsAsync<InvalidStateError>(() => Dispatcher.CancelAsync(waiting.ExecutionId, "again", CancellationToken.None));

        await CancelAndWaitAsync(holder.ExecutionId);
        await AssertKeyFreeAsync(key);
        Assert.Equal(0, silo.Probe.AttemptsOf(waiting.ExecutionId));
    }

    protected async Task CancellingARunningExecutionCancelsItsPipelinesToken()
    {
        var key = Unique("key");
        var running = await StartSleeperAsync(key);

        var cancelling = await Dispatcher.CancelAsync(running.ExecutionId, "operator asked", CancellationToken.None);
        Assert.True(cancelling.Status is ExecutionStatus.Cancelling or ExecutionStatus.Cancelled, $"{cancelling.Status}");
        var cancelled = await silo.WaitAsync(running.ExecutionId, TimeSpan.FromSeconds(5));

        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Equal(ErrorCodes.Cancelled, cancelled.Error!.Code);
        Assert.DoesNotContain("abandoned", cancelled.Error.Message, StringComparison.Ordinal);
        Assert.True(cancelled.CompletedAt - cancelled.StartedAt < TimeSpan.FromSeconds(5), $"{cancelled.CompletedAt - cancelled.StartedAt}");
        var events = await EventsAsync(running.ExecutionId);
        Assert.Equal(
            [ExecutionEventTypes.Created, ExecutionEventTypes.Queued, ExecutionEventTypes.Started, ExecutionEventTypes.CancelRequested, ExecutionEventTypes.Cancelled],
            Types(events));
        AssertHistory(cancelled, events);
        Assert.Equal("operator asked", events[3].Data["reason"]);
        await AssertKeyFreeAsync(key);
    }

    protected async Task APipelineIgnoringCancellationEndsCancelledAfterTheStopGrace()
    {
        var key = Unique("key");
        var stubborn = await Dispatcher.SubmitAsync(Request("test.stubborn", ("ms", "15000")) with { LogicalKey = key }, CancellationToken.None);
        await silo.Probe.WaitForStartAsync(stubborn.ExecutionId);

        var asked = DateTimeOffset.UtcNow;
        await Dispatcher.CancelAsync(stubborn.ExecutionId, "operator asked", CancellationToken.None);
        var cancelled = await silo.WaitAsync(stubborn.ExecutionId, TimeSpan.FromSeconds(10));

        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Equal(ErrorCodes.Cancelled, cancelled.Error!.Code);
        Assert.Contains("abandoned", cancelled.Error.Message, StringComparison.Ordinal);
        var took = DateTimeOffset.UtcNow - asked;
        Assert.True(took >= silo.Options.StopGrace - TimeSpan.FromMilliseconds(100) && took < silo.Options.StopGrace + TimeSpan.FromSeconds(3), $"Took {took}.");
        await AssertKeyFreeAsync(key);
    }

    protected async Task AnAttemptOutlivingItsTimeoutFailsWithTimeout()
    {
        var key = Unique("key");
        var polite = await silo.RunAsync(Request("test.sleep", ("ms", "15000")) with { LogicalKey = key, RunTimeout = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(ExecutionStatus.DeadLettered, polite.Status);
        Assert.Equal(ErrorCodes.Timeout, polite.Error!.Code);
        Assert.True(polite.CompletedAt - polite.StartedAt < TimeSpan.FromSeconds(3), $"{polite.CompletedAt - polite.StartedAt}");

        var stubborn = await silo.RunAsync(Request("test.stubborn", ("ms", "15000")) with { LogicalKey = key, RunTimeout = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(ExecutionStatus.DeadLettered, stubborn.Status);
        Assert.Equal(ErrorCodes.Timeout, stubborn.Error!.Code);
        Assert.Contains("abandoned", stubborn.Error.Message, StringComparison.Ordinal);
        var took = stubborn.CompletedAt - stubborn.StartedAt;
        Assert.True(took < TimeSpan.FromMilliseconds(300) + silo.Options.StopGrace + TimeSpan.FromSeconds(3), $"{took}");
        await AssertKeyFreeAsync(key);
    }

    protected async Task ProgressAndLogLinesAreStoredWithTheOldestLinesRotatedOut()
    {
        var done = await silo.RunAsync(Request("test.progress", ("steps", "3"), ("lines", "12")));

        Assert.Equal(ExecutionStatus.Completed, done.Status);
        Assert.Equal(new ExecutionProgress("step-3", 4, 4), done.Progress);
        var events = await EventsAsync(done.ExecutionId);
        AssertHistory(done, events);
        var stages = events.Where(e => e.Type is ExecutionEventTypes.StageStarted or ExecutionEventTypes.StageCompleted)
            .Select(e => $"{e.Type}:{e.Data["stage"]}");
        Assert.Equal(
            ["stage_started:step-1", "stage_completed:step-1", "stage_started:step-2", "stage_completed:step-2", "stage_started:step-3", "stage_completed:step-3"],
            stages);
        Assert.Contains(events, e => e.Type == ExecutionEventTypes.Progress && e.Data["step"] == "step-3" && e.Data["completed"] == "4" && e.Data["total"] == "4");
        Assert.Equal(ExecutionEventTypes.Completed, events[^1].Type);

        var lines = await Dispatcher.LogsAsync(done.ExecutionId, 0, 100, CancellationToken.None);
        Assert.Equal(ExecutionSilo.LogLinesKept, lines.Count);
        Assert.Equal(Enumerable.Range(8, 5).Select(n => (long)n), lines.Select(l => l.Sequence));
        Assert.Equal(Enumerable.Range(8, 5).Select(n => $"line {n}"), lines.Select(l => l.Message));
        Assert.All(lines, l => Assert.Equal("information", l.Level));
        Assert.All(lines, l => Assert.Equal(1, l.Attempt));
    }

    protected async Task WaitingReturnsTheExecutionAsItIsWhenTheTimeoutPasses()
    {
        var key = Unique("key");
        var sleeper = await StartSleeperAsync(key);

        var started = DateTimeOffset.UtcNow;
        var meanwhile = await Dispatcher.WaitAsync(sleeper.ExecutionId, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Equal(ExecutionStatus.Running, meanwhile.Status);
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));

        var waiting = Dispatcher.WaitAsync(sleeper.ExecutionId, TimeSpan.FromSeconds(20), CancellationToken.None);
        await Dispatcher.CancelAsync(sleeper.ExecutionId, "done waiting", CancellationToken.None);
        Assert.Equal(ExecutionStatus.Cancelled, (await waiting).Status);

        var missing = await Assert.ThrowsAsync<NotFoundError>(() => Dispatcher.WaitAsync("exec_000000000000deadbeef", Quick, CancellationToken.None));
        Assert.Equal(ErrorCodes.ExecutionNotFound, missing.Code);
        await Assert.ThrowsAsync<NotFoundError>(() => Dispatcher.GetAsync("exec_000000000000deadbeef", CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundError>(() => Dispatcher.CancelAsync("exec_000000000000deadbeef", "no", CancellationToken.None));
    }

    protected async Task CancellingAnExecutionWaitingToBeRetriedEndsIt()
    {
        var key = Unique("key");
        var request = Request("test.flaky", ("failures", "5")) with
        {
            LogicalKey = key,
            Retry = new RetryPolicy(3, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10), RetryPolicy.TransientCodes),
        };
        var submitted = await Dispatcher.SubmitAsync(request, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await Dispatcher.GetAsync(submitted.ExecutionId, CancellationToken.None)).Status == ExecutionStatus.Failed,
            TimeSpan.FromSeconds(10), "the first attempt failed");
        var failed = await Dispatcher.GetAsync(submitted.ExecutionId, CancellationToken.None);
        Assert.NotNull(failed.NextAttemptAt);
        Assert.Equal((await Dispatcher.GetLogicalKeyAsync(key, CancellationToken.None)).Holder, submitted.ExecutionId);

        // Another process sharing the database moved the row on: the grain's copy is behind, and the
        // cancel must still get through (from the store's copy), not fail as a stale write.
        Assert.Equal(1, await Backend.ExecuteAsync("UPDATE executions SET version = version + 1 WHERE execution_id = @id", ("@id", submitted.ExecutionId)));
        var cancelled = await Dispatcher.CancelAsync(submitted.ExecutionId, "gave up", CancellationToken.None);

        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.NextAttemptAt);
        await AssertKeyFreeAsync(key);
        Assert.Equal(0, await Backend.ScalarAsync("SELECT COUNT(*) FROM grain_reminders WHERE grain_key = @id", ("@id", submitted.ExecutionId)));
    }

    protected async Task EveryEndReleasesTheLogicalKey()
    {
        // completed, dead-lettered, timed out, cancelled while queued, cancelled while running, skipped
        var keys = Enumerable.Range(0, 5).Select(_ => Unique("key")).ToArray();
        await silo.RunAsync(Request("test.noop") with { LogicalKey = keys[0] });
        await silo.RunAsync(Request("test.fail", ("code", ErrorCodes.QualityGateFailed)) with { LogicalKey = keys[1] });
        await silo.RunAsync(Request("test.sleep", ("ms", "15000")) with { LogicalKey = keys[2], RunTimeout = TimeSpan.FromMilliseconds(100) });
        var running = await StartSleeperAsync(keys[3]);
        var queued = await Dispatcher.SubmitAsync(Request("test.noop") with { LogicalKey = keys[3] }, CancellationToken.None);
        var skipped = await Dispatcher.SubmitAsync(Request("test.noop") with { LogicalKey = keys[3], KeyPolicy = KeyPolicy.Skip }, CancellationToken.None);
        Assert.Equal(ExecutionStatus.Cancelled, skipped.Status);
        await Dispatcher.CancelAsync(queued.ExecutionId, "test", CancellationToken.None);
        await CancelAndWaitAsync(running.ExecutionId);
        var stubborn = await Dispatcher.SubmitAsync(Request("test.stubborn", ("ms", "15000")) with { LogicalKey = keys[4] }, CancellationToken.None);
        await silo.Probe.WaitForStartAsync(stubborn.ExecutionId);
        await CancelAndWaitAsync(stubborn.ExecutionId);

        foreach (var key in keys)
        {
            await AssertKeyFreeAsync(key);
        }

        Assert.Equal(0, await Backend.ScalarAsync("SELECT COUNT(*) FROM grain_state WHERE grain_key IN (@a, @b, @c, @d, @e)",
            ("@a", keys[0]), ("@b", keys[1]), ("@c", keys[2]), ("@d", keys[3]), ("@e", keys[4])));
    }

    protected async Task AStaleWriteIsRefused()
    {
        var done = await silo.RunAsync(Request("test.noop"));
        var store = silo.Store;
        var change = new ExecutionChange(done with { Status = ExecutionStatus.Cancelled, Version = done.Version }, done.Version - 1,
            [new ExecutionEvent(done.ExecutionId, done.EventCount + 1, ExecutionEventTypes.Cancelled, DateTimeOffset.UtcNow, done.Attempt, new Dictionary<string, string>())]);

        var refused = await Assert.ThrowsAsync<InvalidStateError>(() => store.ApplyAsync(change, CancellationToken.None));

        Assert.Equal(ErrorCodes.InvalidState, refused.Code);
        var stored = await store.FindAsync(done.ExecutionId, CancellationToken.None);
        Assert.Equal(ExecutionStatus.Completed, stored!.Status);
        Assert.Equal(done.Version, stored.Version);
        Assert.Equal(done.EventCount, await Backend.ScalarAsync("SELECT COUNT(*) FROM execution_events WHERE execution_id = @id", ("@id", done.ExecutionId)));

        // At the version it read, the same writer is let through (here with no event at all).
        await store.ApplyAsync(new ExecutionChange(done with { Version = done.Version + 1 }, done.Version, []), CancellationToken.None);
        Assert.Equal(done.Version + 1, (await store.FindAsync(done.ExecutionId, CancellationToken.None))!.Version);
        Assert.Equal(done.EventCount, await Backend.ScalarAsync("SELECT COUNT(*) FROM execution_events WHERE execution_id = @id", ("@id", done.ExecutionId)));
    }

    protected async Task AGrainWhoseRowWasWrittenBehindItsBackRecoversAsOrphaned()
    {
        var key = Unique("key");
        var running = await Dispatcher.SubmitAsync(Request("test.sleep", ("ms", "1500")) with { LogicalKey = key }, CancellationToken.None);
        await silo.Probe.WaitForStartAsync(running.ExecutionId);

        // Another writer (a grain of a silo declared dead, say) moved the row on: the running grain's
        // own completion must be refused, and the execution must still end, through its watchdog.
        Assert.Equal(1, await Backend.ExecuteAsync("UPDATE executions SET version = version + 1 WHERE execution_id = @id", ("@id", running.ExecutionId)));
        var ended = await silo.WaitAsync(running.ExecutionId);

        Assert.Equal(ExecutionStatus.DeadLettered, ended.Status);
        Assert.Equal(ErrorCodes.Orphaned, ended.Error!.Code);
        var events = await EventsAsync(running.ExecutionId);
        Assert.DoesNotContain(events, e => e.Type == ExecutionEventTypes.Completed);
        Assert.Equal(
            [ExecutionEventTypes.Created, ExecutionEventTypes.Queued, ExecutionEventTypes.Started, ExecutionEventTypes.Orphaned, ExecutionEventTypes.DeadLettered],
            Types(events));
        AssertHistory(ended, events);
        await AssertKeyFreeAsync(key);
    }

    private static SubmitRequest Request(string pipeline, params (string Name, string? Value)[] parameters) =>
        new(pipeline, parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static string[] Types(IEnumerable<ExecutionEvent> events) => [.. events.Select(e => e.Type)];

    /// <summary>Events numbered 1, 2, ... without gaps, in time order, as many as the row counts.</summary>
    private static void AssertHistory(ExecutionRecord record, IReadOnlyList<ExecutionEvent> events)
    {
        Assert.Equal(Enumerable.Range(1, events.Count).Select(n => (long)n), events.Select(e => e.Sequence));
        Assert.Equal(record.EventCount, events.Count);
        Assert.All(events.Zip(events.Skip(1)), pair => Assert.True(pair.First.At <= pair.Second.At, $"{pair.First.Type} at {pair.First.At:O} after {pair.Second.Type} at {pair.Second.At:O}"));
        Assert.All(events, e => Assert.Equal(record.ExecutionId, e.ExecutionId));
    }

    private Task<long> WatchdogsOfAsync(string executionId) =>
        Backend.ScalarAsync("SELECT COUNT(*) FROM grain_reminders WHERE grain_type = 'execution' AND grain_key = @id", ("@id", executionId));

    private async Task<IReadOnlyList<ExecutionEvent>> EventsAsync(string executionId) =>
        await Dispatcher.EventsAsync(executionId, 0, 1_000, CancellationToken.None);

    /// <summary>Submits a long sleep holding <paramref name="key"/> and waits until its pipeline runs.</summary>
    private async Task<ExecutionRecord> StartSleeperAsync(string key)
    {
        var sleeper = await Dispatcher.SubmitAsync(Request("test.sleep", ("ms", "30000")) with { LogicalKey = key }, CancellationToken.None);
        await silo.Probe.WaitForStartAsync(sleeper.ExecutionId);
        return sleeper;
    }

    private async Task CancelAndWaitAsync(string executionId)
    {
        await Dispatcher.CancelAsync(executionId, "the test is over", CancellationToken.None);
        Assert.Equal(ExecutionStatus.Cancelled, (await silo.WaitAsync(executionId, TimeSpan.FromSeconds(10))).Status);
    }

    /// <summary>
    /// The key is free, or becomes so at once: an execution's end is stored, then its key released, so
    /// a reader of the store may see the end a moment before the release.
    /// </summary>
    private async Task AssertKeyFreeAsync(string key)
    {
        LogicalKeyView? view = null;
        await Eventually.TrueAsync(async () =>
        {
            view = await Dispatcher.GetLogicalKeyAsync(key, CancellationToken.None);
            return view.Holder is null && view.Waiters.Count == 0;
        }, TimeSpan.FromSeconds(5), $"key {key} free");
        Assert.Null(view!.Holder);
    }
}
