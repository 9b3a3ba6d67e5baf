namespace MarketSpine.Core.Execution;

/// <summary>Who asked for an execution; recorded with it for audit.</summary>
public enum TriggerSource
{
    Cli,
    Api,
    Schedule,
    Retry,
    Workflow,
}
