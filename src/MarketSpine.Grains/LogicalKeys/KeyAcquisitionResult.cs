namespace MarketSpine.Grains.LogicalKeys;

public enum KeyAcquisitionResult
{
    /// <summary>The execution holds the key and may run.</summary>
    Granted,

    /// <summary>The execution waits in the key's queue; it is told when its turn comes.</summary>
    Queued,

    /// <summary>The key was held and the policy was to skip.</summary>
    Skipped,

    /// <summary>The key was held and the policy was to reject.</summary>
    Rejected,
}
