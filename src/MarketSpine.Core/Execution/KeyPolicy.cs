namespace MarketSpine.Core.Execution;

/// <summary>What a submission does when its logical key is held by another execution.</summary>
public enum KeyPolicy
{
    /// <summary>Waits its turn, first come first served.</summary>
    Queue,

    /// <summary>Is not run: the execution ends cancelled with the reason, nothing else is stored.</summary>
    Skip,

    /// <summary>Is refused with <see cref="Errors.ErrorCodes.LogicalKeyHeld"/> before anything is stored.</summary>
    Reject,
}
