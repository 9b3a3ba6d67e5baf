using MarketSpine.Actors.Grains;
using MarketSpine.Core.Contracts;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Registry;
using MarketSpine.Grains.Executions;
using MarketSpine.Grains.Hosting;
using MarketSpine.Grains.LogicalKeys;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.Dispatch;

/// <summary>
/// The command layer: the one way the CLI, the API and schedules run pipelines and look at runs.
/// Submitting validates the pipeline and its parameters against the spec before anything is stored,
/// then hands the execution to its grain. Reads go to the store, which every grain writes through.
/// </summary>
public sealed partial class ExecutionDispatcher(
    PipelineRegistry registry, IGrainFactory grains, IExecutionStore store, ExecutionReads reads, ExecutionEndings endings, ExecutionBacklog backlog, ExecutionOptions options,
    TimeProvider time, ILogger<ExecutionDispatcher> logger)
    : IExecutionCommands
{
    /// <summary>The first and the longest pause between two reads of a waited-for execution.</summary>
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>The sweeper's registration by this process, made before its first submission; made again after a failure.</summary>
    private Task? _sweeper;

    public async Task<ExecutionRecord> SubmitAsync(SubmitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var descriptor = registry.Get(request.Pipeline);
        var parameters = descriptor.Validate(request.Parameters);
        var retry = request.Retry ?? descriptor.Retry ?? options.DefaultRetry;
        retry.Validate();
        if (request.RunTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > ExecutionOptions.LongestRunTimeout))
        {
            throw new ValidationError(new ValidationProblem("timeout", "out_of_range", $"The run timeout must be positive and at most {ExecutionOptions.LongestRunTimeout.TotalDays:F0} days."));
        }

        if (request.LogicalKey is { Length: 0 or > 200 })
        {
            throw new ValidationError(new ValidationProblem("logical_key", "out_of_range", "A logical key has 1 to 200 characters."));
        }

        if (request.IdempotencyKey is { } idempotencyKey && await store.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken) is { } existing)
        {
            LogIdempotentHit(existing.ExecutionId, idempotencyKey);
            return existing;
        }

        // Users' submissions wait for room in the backlog; a schedule's tick or a workflow's step is part of work already admitted.
        if (request.TriggerSource is TriggerSource.Api or TriggerSource.Cli or TriggerSource.Retry)
        {
            await backlog.AdmitAsync(cancellationToken);
        }

        // Before the first execution of this process exists: one that ends up with no watchdog (its silo
        // died early) is found by the sweeper alone.
        await EnsureSweeperAsync();
        var executionId = ExecutionIds.New(time.GetUtcNow());
        var submission = new ExecutionSubmission(descriptor.Name, parameters.ToText(), request.Lane, request.TriggerSource, request.LogicalKey,
            request.IdempotencyKey, request.KeyPolicy, retry, request.RunTimeout ?? options.DefaultRunTimeout, request.ParentExecutionId, request.RetryOf);
        var outcome = await grains.GetGrain<IExecutionGrain>(executionId).SubmitAsync(submission);
        if (outcome.Execution is not { } record)
        {
            throw new ConflictError(ErrorCodes.LogicalKeyHeld,
                $"Logical key '{request.LogicalKey}' is held by execution {outcome.RejectedBy}; this submission asked to be rejected then.",
                new Dictionary<string, object?> { ["logical_key"] = request.LogicalKey, ["holder"] = outcome.RejectedBy });
        }

        LogSubmitted(record.ExecutionId, descriptor.Name, record.Status);
        return record;
    }

    public async Task<ExecutionRecord> GetAsync(string executionId, CancellationToken cancellationToken) =>
        await reads.FindAsync(executionId, cancellationToken) ?? throw ExecutionNotFound(executionId);

    public Task<IReadOnlyList<ExecutionRecord>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken) => store.ListAsync(query, cancellationToken);

    public async Task<IReadOnlyList<ExecutionEvent>> EventsAsync(string executionId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var events = await store.EventsAsync(executionId, afterSequence, limit, cancellationToken);
        if (events.Count == 0)
        {
            await GetAsync(executionId, cancellationToken);
        }

        return events;
    }

    public async Task<IReadOnlyList<ExecutionLogLine>> LogsAsync(string executionId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        var lines = await store.LogsAsync(executionId, afterSequence, limit, cancellationToken);
        if (lines.Count == 0)
        {
            await GetAsync(executionId, cancellationToken);
        }

        return lines;
    }

    /// <summary>
    /// Cancels (see <see cref="IExecutionGrain.CancelAsync"/>); an execution that has ended is an
    /// <see cref="InvalidStateError"/>, unless it ends while the cancel is on its way: then it is
    /// returned as it ended.
    /// </summary>
    public async Task<ExecutionRecord> CancelAsync(string executionId, string reason, CancellationToken cancellationToken)
    {
        var current = await GetAsync(executionId, cancellationToken);
        if (current.IsTerminal)
        {
            throw new InvalidStateError(ErrorCodes.InvalidState, $"Execution {executionId} has already ended ({current.Status.ToText()}); there is nothing to cancel.",
                new Dictionary<string, object?> { ["execution_id"] = executionId, ["status"] = current.Status.ToText() });
        }

        return await grains.GetGrain<IExecutionGrain>(executionId).CancelAsync(reason) ?? throw ExecutionNotFound(executionId);
    }

    /// <summary>
    /// Reads the execution until it ends or <paramref name="timeout"/> passes, more rarely the longer it
    /// runs; an end in this silo wakes the wait at once.
    /// </summary>
    public async Task<ExecutionRecord> WaitAsync(string executionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var watch = endings.WatchFor(executionId);
        var deadline = time.GetTimestamp() + (long)(Math.Max(0, timeout.TotalSeconds) * time.TimestampFrequency);
        var pause = FirstPoll;
        while (true)
        {
            var record = await GetAsync(executionId, cancellationToken);
            var left = time.GetElapsedTime(time.GetTimestamp(), deadline);
            if (record.IsTerminal || left <= TimeSpan.Zero)
            {
                return record;
            }

            await Task.WhenAny(watch.Ended, Task.Delay(pause < left ? pause : left, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            pause = pause * 2 < LongestPoll ? pause * 2 : LongestPoll;
        }
    }

    /// <summary>The dead letter a dead-lettered execution was filed as (written with its status, in one transaction); null for any other.</summary>
    public async Task<string?> DeadLetterIdOfAsync(ExecutionRecord record, CancellationToken cancellationToken) =>
        (await DeadLetterIdsOfAsync([record], cancellationToken))[0];

    /// <summary>The dead letters of a page of executions, in order, from one statement (none when no row is dead-lettered).</summary>
    public async Task<IReadOnlyList<string?>> DeadLetterIdsOfAsync(IReadOnlyList<ExecutionRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var deadLettered = records.Where(r => r.Status == ExecutionStatus.DeadLettered).Select(r => r.ExecutionId).ToList();
        if (deadLettered.Count == 0)
        {
            return new string?[records.Count];
        }

        var ids = await store.DeadLetterIdsAsync(deadLettered, cancellationToken);
        var byExecution = deadLettered.Zip(ids).ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
        return [.. records.Select(r => byExecution.GetValueOrDefault(r.ExecutionId))];
    }

    public Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken) => store.ListDeadLettersAsync(query, cancellationToken);

    public async Task<DeadLetter> GetDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken) =>
        await store.FindDeadLetterAsync(deadLetterId, cancellationToken) ?? throw DeadLetterNotFound(deadLetterId);

    /// <summary>Runs a dead letter's pipeline again as a new execution linked to the dead one; the dead letter is marked retried.</summary>
    public async Task<ExecutionRecord> RetryDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken)
    {
        var letter = await GetDeadLetterAsync(deadLetterId, cancellationToken);
        RequireOpen(letter);
        var retried = await SubmitAsync(new SubmitRequest(letter.Pipeline, letter.Parameters.ToDictionary(pair => pair.Key, pair => (string?)pair.Value),
            letter.Lane, TriggerSource.Retry, letter.LogicalKey, IdempotencyKey: $"dlq-retry:{letter.DeadLetterId}") { RetryOf = letter.ExecutionId }, cancellationToken);
        await store.ResolveDeadLetterAsync(deadLetterId, DeadLetterStatus.Retried, retried.ExecutionId, time.GetUtcNow(), cancellationToken);
        return retried;
    }

    public async Task<DeadLetter> DiscardDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken)
    {
        RequireOpen(await GetDeadLetterAsync(deadLetterId, cancellationToken));
        if (!await store.ResolveDeadLetterAsync(deadLetterId, DeadLetterStatus.Discarded, null, time.GetUtcNow(), cancellationToken))
        {
            RequireOpen(await GetDeadLetterAsync(deadLetterId, cancellationToken));
        }

        return await GetDeadLetterAsync(deadLetterId, cancellationToken);
    }

    public Task<LogicalKeyView> GetLogicalKeyAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return grains.GetGrain<ILogicalKeyGrain>(key).GetAsync();
    }

    private async Task EnsureSweeperAsync()
    {
        var sweeper = Volatile.Read(ref _sweeper);
        if (sweeper is null || sweeper.IsFaulted || sweeper.IsCanceled)
        {
            // Two submissions racing here both ask: the sweeper registers its reminder once all the same.
            sweeper = grains.GetGrain<IExecutionSweeperGrain>(ExecutionSweeperGrain.Key).EnsureAsync();
            Volatile.Write(ref _sweeper, sweeper);
        }

        try
        {
            await sweeper;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The sweeper's reminder is durable, so it is there already unless this is the database's first
            // submission; a failure to confirm it (the database restarting, say) must not refuse the
            // submission, whose own writes ride out the outage. The next submission asks again.
            LogSweeperUnconfirmed(exception);
        }
    }

    public async Task<KeyView> GetKeyAsync(string key, CancellationToken cancellationToken)
    {
        var view = await GetLogicalKeyAsync(key, cancellationToken);
        return new KeyView(view.Key, view.Holder, view.HeldSince, view.Waiters);
    }

    private static void RequireOpen(DeadLetter letter)
    {
        if (letter.Status != DeadLetterStatus.Open)
        {
            throw new InvalidStateError(ErrorCodes.InvalidState,
                $"Dead letter {letter.DeadLetterId} was already {letter.Status.ToString().ToLowerInvariant()}{(letter.RetriedAs is null ? "" : $" as {letter.RetriedAs}")}.",
                new Dictionary<string, object?> { ["dead_letter_id"] = letter.DeadLetterId, ["status"] = letter.Status.ToString().ToLowerInvariant() });
        }
    }

    private static NotFoundError ExecutionNotFound(string executionId) =>
        new(ErrorCodes.ExecutionNotFound, $"Execution {executionId} does not exist.", new Dictionary<string, object?> { ["execution_id"] = executionId });

    private static NotFoundError DeadLetterNotFound(string deadLetterId) =>
        new(ErrorCodes.DeadLetterNotFound, $"Dead letter {deadLetterId} does not exist.", new Dictionary<string, object?> { ["dead_letter_id"] = deadLetterId });

    [LoggerMessage(EventId = 4050, Level = LogLevel.Information, Message = "Execution {ExecutionId} of {Pipeline} submitted ({Status})")]
    private partial void LogSubmitted(string executionId, string pipeline, ExecutionStatus status);

    [LoggerMessage(EventId = 4052, Level = LogLevel.Warning, Message = "Could not confirm the execution sweeper's reminder; submitting anyway, and asking again at the next submission")]
    private partial void LogSweeperUnconfirmed(Exception exception);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Information, Message = "Idempotency key {IdempotencyKey} already used by execution {ExecutionId}; not submitting again")]
    private partial void LogIdempotentHit(string executionId, string idempotencyKey);
}
