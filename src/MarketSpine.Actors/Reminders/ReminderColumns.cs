namespace MarketSpine.Actors.Reminders;

/// <summary>How the SQL tables spell a schedule and a policy in columns, both ways.</summary>
internal sealed record ReminderColumns(
    string Kind, DateTimeOffset? DueAt, long? PeriodMs, string? Cron, string? TimeZone, string Policy, int CatchUpLimit, long ThresholdMs)
{
    public static ReminderColumns From(ReminderSchedule schedule, MissedTickPolicy policy)
    {
        var policyText = policy.Kind switch
        {
            MissedTickKind.Skip => "skip",
            MissedTickKind.FireOnce => "fire_once",
            _ => "catch_up",
        };
        var threshold = (long)policy.Threshold.TotalMilliseconds;
        return schedule switch
        {
            PeriodicSchedule periodic => new("periodic", periodic.FirstDue, (long)periodic.Period.TotalMilliseconds, null, null, policyText, policy.CatchUpLimit, threshold),
            OneShotSchedule once => new("once", once.DueAt, null, null, null, policyText, policy.CatchUpLimit, threshold),
            CronSchedule cron => new("cron", null, null, cron.Expression, cron.TimeZoneId, policyText, policy.CatchUpLimit, threshold),
            _ => throw new ArgumentException($"Unknown schedule {schedule}.", nameof(schedule)),
        };
    }

    public ReminderSchedule ToSchedule() => Kind switch
    {
        "periodic" => new PeriodicSchedule(DueAt!.Value, TimeSpan.FromMilliseconds(PeriodMs!.Value)),
        "once" => new OneShotSchedule(DueAt!.Value),
        "cron" => new CronSchedule(Cron!, TimeZone!),
        _ => throw new InvalidOperationException($"Unknown reminder schedule kind '{Kind}' in the reminders table."),
    };

    public MissedTickPolicy ToPolicy() => MissedTickPolicy.From(
        Policy switch
        {
            "skip" => MissedTickKind.Skip,
            "fire_once" => MissedTickKind.FireOnce,
            "catch_up" => MissedTickKind.CatchUp,
            _ => throw new InvalidOperationException($"Unknown missed-tick policy '{Policy}' in the reminders table."),
        },
        CatchUpLimit,
        TimeSpan.FromMilliseconds(ThresholdMs));
}
