namespace MarketSpine.Actors.Reminders;

/// <summary>
/// What to do with a claimed reminder now: the ticks to deliver in order, how many due ticks the
/// policy dropped, the latest due tick handled either way (<see cref="LastHandled"/>, null when none
/// was due), and the first due time after now (null: nothing left, the reminder ends).
/// </summary>
public sealed record TickPlan(IReadOnlyList<PlannedTick> Deliver, int Dropped, DateTimeOffset? LastHandled, DateTimeOffset? NextDue);
