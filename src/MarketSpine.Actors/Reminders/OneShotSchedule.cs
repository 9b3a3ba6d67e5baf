using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>Due once, at <see cref="DueAt"/>.</summary>
[Immutable]
public sealed record OneShotSchedule : ReminderSchedule
{
    public OneShotSchedule(DateTimeOffset dueAt) => DueAt = Truncate(dueAt);

    public DateTimeOffset DueAt { get; }

    public override DateTimeOffset? NextAtOrAfter(DateTimeOffset time) => time <= DueAt ? DueAt : null;
}
