namespace MarketSpine.Actors.Reminders;

/// <summary>What to do with ticks that were missed (see <see cref="MissedTickPolicy"/>).</summary>
public enum MissedTickKind
{
    /// <summary>Drop them; the reminder continues with its next due time.</summary>
    Skip,

    /// <summary>Deliver one tick, the latest missed one, in their place.</summary>
    FireOnce,

    /// <summary>Deliver the latest <see cref="MissedTickPolicy.CatchUpLimit"/> missed ticks in order; drop older ones.</summary>
    CatchUp,
}
