using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// A reminder tick: when it was due, when it was delivered, and how many earlier ticks the
/// reminder's missed-tick policy dropped just before this one.
/// </summary>
[Immutable]
public readonly record struct TickStatus(DateTimeOffset DueTime, DateTimeOffset FiredAt, int DroppedBefore);
