using MarketSpine.Actors.Grains;
using Quartz;

namespace MarketSpine.Actors.Reminders;

/// <summary>Due on a Quartz cron expression in an IANA time zone (Quartz applies the zone's DST rules).</summary>
[Immutable]
public sealed record CronSchedule : ReminderSchedule
{
    private readonly CronExpression _cron;

    public CronSchedule(string expression, string timeZoneId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZoneId);
        Expression = expression;
        TimeZoneId = timeZoneId;
        _cron = new CronExpression(expression) { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId) };
    }

    public string Expression { get; }

    public string TimeZoneId { get; }

    public override DateTimeOffset? NextAtOrAfter(DateTimeOffset time)
    {
        // Quartz documents no thread safety for CronExpression, and one schedule may be evaluated by
        // the reminder loop and a grain at once: evaluations take turns (they take microseconds).
        lock (_cron)
        {
            // Quartz answers "strictly after" at whole seconds; step back a second and skip anything earlier.
            var next = _cron.GetNextValidTimeAfter(time.AddSeconds(-1));
            while (next is { } candidate && candidate < time)
            {
                next = _cron.GetNextValidTimeAfter(candidate);
            }

            return next;
        }
    }

    public bool Equals(CronSchedule? other) =>
        other is not null && Expression == other.Expression && TimeZoneId == other.TimeZoneId;

    public override int GetHashCode() => HashCode.Combine(Expression, TimeZoneId);
}
