using MarketSpine.Core.Contracts;

namespace MarketSpine.Core.Execution;

/// <summary>
/// The command layer as its callers see it: submit, read, follow and cancel executions, handle dead
/// letters, look at logical keys. The dispatcher implements it in the process that hosts the runtime;
/// the CLI's <c>--server</c> mode implements it over the REST API, so both print the same things.
/// </summary>
public interface IExecutionCommands : IExecutionSubmitter
{
    Task<ExecutionRecord> GetAsync(string executionId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExecutionRecord>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExecutionEvent>> EventsAsync(string executionId, long afterSequence, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExecutionLogLine>> LogsAsync(string executionId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>The dead letter a dead-lettered execution was filed as; null for any other.</summary>
    Task<string?> DeadLetterIdOfAsync(ExecutionRecord record, CancellationToken cancellationToken);

    /// <summary><see cref="DeadLetterIdOfAsync"/> for a page of executions, in order.</summary>
    Task<IReadOnlyList<string?>> DeadLetterIdsOfAsync(IReadOnlyList<ExecutionRecord> records, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken);

    Task<DeadLetter> GetDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken);

    /// <summary>Runs a dead letter's pipeline again as a new execution linked to the dead one.</summary>
    Task<ExecutionRecord> RetryDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken);

    Task<DeadLetter> DiscardDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken);

    /// <summary>Who holds a logical key and who waits for it.</summary>
    Task<KeyView> GetKeyAsync(string key, CancellationToken cancellationToken);
}
