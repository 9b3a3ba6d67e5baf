namespace MarketSpine.Actors.Reminders;

/// <summary>A tick to deliver, and how many ticks the policy dropped just before it.</summary>
public readonly record struct PlannedTick(DateTimeOffset Due, int DroppedBefore);
