namespace MarketSpine.Core.Execution;

/// <summary>A request to run a pipeline, the same from the CLI, the API and a schedule.</summary>
public sealed record SubmitRequest(
    string Pipeline,
    IReadOnlyDictionary<string, string?> Parameters,
    Lane Lane = Lane.Normal,
    TriggerSource TriggerSource = TriggerSource.Cli,
    string? LogicalKey = null,
    string? IdempotencyKey = null);
