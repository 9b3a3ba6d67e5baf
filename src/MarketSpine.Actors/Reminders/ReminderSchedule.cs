using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// When a reminder is due: periodically from a first due time, once, or on a cron expression in a
/// time zone. Times are kept to the millisecond (the storage resolution), so a tick's due time is
/// the same value in memory, SQLite and PostgreSQL. Schedules never change once built, so grain
/// calls pass them by reference (<see cref="ImmutableAttribute"/>); only the sealed kinds below exist.
/// </summary>
[Immutable]
public abstract record ReminderSchedule
{
    private protected ReminderSchedule()
    {
    }

    /// <summary>Every <paramref name="period"/> (any length from a millisecond up) starting at <paramref name="firstDue"/>.</summary>
    public static ReminderSchedule Every(TimeSpan period, DateTimeOffset firstDue) => new PeriodicSchedule(firstDue, period);

    /// <summary>Once, at <paramref name="dueAt"/> (a time in the past fires at once); the reminder is removed after its tick.</summary>
    public static ReminderSchedule Once(DateTimeOffset dueAt) => new OneShotSchedule(dueAt);

    /// <summary>
    /// On a Quartz cron expression (seconds first: <c>"0 30 9 ? * MON-FRI"</c>) evaluated in the IANA
    /// time zone <paramref name="timeZoneId"/> (<c>"America/New_York"</c>), so 09:30 stays 09:30 local across DST.
    /// </summary>
    public static ReminderSchedule Cron(string expression, string timeZoneId) => new CronSchedule(expression, timeZoneId);

    /// <summary>The first due time at or after <paramref name="time"/>, or null when there is none.</summary>
    public abstract DateTimeOffset? NextAtOrAfter(DateTimeOffset time);

    /// <summary>The first due time strictly after <paramref name="due"/>.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset due) => NextAtOrAfter(due.AddMilliseconds(1));

    internal static DateTimeOffset Truncate(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
