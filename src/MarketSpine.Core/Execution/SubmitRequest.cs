namespace MarketSpine.Core.Execution;

/// <summary>A request to run a pipeline, the same from the CLI, the API and a schedule.</summary>
public sealed record SubmitRequest(
    string Pipeline,
    IReadOnlyDictionary<string, string?> Parameters,
    Lane Lane = Lane.Normal,
    TriggerSource TriggerSource = TriggerSource.Cli,
    string? LogicalKey = null,
    string? IdempotencyKey = null)
{
    /// <summary>What to do when <see cref="LogicalKey"/> is held by another execution.</summary>
    public KeyPolicy KeyPolicy { get; init; } = KeyPolicy.Queue;

    /// <summary>Overrides the pipeline's retry policy for this submission.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>How long one attempt may run before it is stopped and fails with <c>TIMEOUT</c>; the runtime's default when null.</summary>
    public TimeSpan? RunTimeout { get; init; }

    public string? ParentExecutionId { get; init; }

    /// <summary>The dead-lettered execution this submission retries.</summary>
    public string? RetryOf { get; init; }
}
