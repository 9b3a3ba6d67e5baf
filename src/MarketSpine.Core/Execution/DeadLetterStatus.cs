namespace MarketSpine.Core.Execution;

public enum DeadLetterStatus
{
    /// <summary>Waiting for someone to retry or discard it.</summary>
    Open,
    Retried,
    Discarded,
}
