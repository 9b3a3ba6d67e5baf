using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>Due at <see cref="FirstDue"/> + k × <see cref="Period"/>.</summary>
[Immutable]
public sealed record PeriodicSchedule : ReminderSchedule
{
    public PeriodicSchedule(DateTimeOffset firstDue, TimeSpan period)
    {
        var milliseconds = (long)period.TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfLessThan(milliseconds, 1L, nameof(period));
        FirstDue = Truncate(firstDue);
        Period = TimeSpan.FromMilliseconds(milliseconds);
    }

    public DateTimeOffset FirstDue { get; }

    public TimeSpan Period { get; }

    public override DateTimeOffset? NextAtOrAfter(DateTimeOffset time)
    {
        if (time <= FirstDue)
        {
            return FirstDue;
        }

        var periods = ((time - FirstDue).Ticks + Period.Ticks - 1) / Period.Ticks;
        return FirstDue + TimeSpan.FromTicks(periods * Period.Ticks);
    }
}
