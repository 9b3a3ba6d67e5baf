using MarketSpine.Actors.Reminders;

namespace MarketSpine.Actors.Tests.Reminders;

public sealed class ScheduleTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_periodic_schedule_is_due_at_whole_periods_from_its_first_due_time()
    {
        var schedule = ReminderSchedule.Every(TimeSpan.FromMilliseconds(250), Noon);

        Assert.Equal(Noon, schedule.NextAtOrAfter(Noon.AddHours(-1)));
        Assert.Equal(Noon, schedule.NextAtOrAfter(Noon));
        Assert.Equal(Noon.AddMilliseconds(250), schedule.NextAfter(Noon));
        Assert.Equal(Noon.AddMilliseconds(500), schedule.NextAtOrAfter(Noon.AddMilliseconds(251)));
    }

    [Fact]
    public void A_one_shot_schedule_has_one_due_time()
    {
        var schedule = ReminderSchedule.Once(Noon);

        Assert.Equal(Noon, schedule.NextAtOrAfter(Noon));
        Assert.Null(schedule.NextAfter(Noon));
    }

    [Fact]
    public void Times_are_kept_to_the_millisecond()
    {
        var schedule = (PeriodicSchedule)ReminderSchedule.Every(TimeSpan.FromTicks(12_345_678), Noon.AddTicks(9_999));

        Assert.Equal(Noon.AddMilliseconds(0), schedule.FirstDue);
        Assert.Equal(TimeSpan.FromMilliseconds(1234), schedule.Period);
    }

    [Fact]
    public void A_cron_schedule_keeps_local_time_across_daylight_saving()
    {
        // Europe/London moves to BST (UTC+1) on Sunday 29 March 2026: 09:00 local is 09:00Z before, 08:00Z after.
        var schedule = ReminderSchedule.Cron("0 0 9 ? * *", "Europe/London");

        var due = new List<DateTimeOffset>();
        for (var next = schedule.NextAtOrAfter(Noon); due.Count < 4; next = schedule.NextAfter(next!.Value))
        {
            due.Add(next!.Value.ToUniversalTime());
        }

        Assert.Equal(
        [
            new DateTimeOffset(2026, 3, 28, 9, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 29, 8, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 31, 8, 0, 0, TimeSpan.Zero),
        ], due);
    }

    [Fact]
    public void A_cron_schedule_is_due_at_the_matching_second_itself()
    {
        var schedule = ReminderSchedule.Cron("0/15 * * ? * *", "UTC");

        Assert.Equal(Noon, schedule.NextAtOrAfter(Noon));
        Assert.Equal(Noon.AddSeconds(15), schedule.NextAtOrAfter(Noon.AddMilliseconds(1)));
        Assert.Equal(Noon.AddSeconds(15), schedule.NextAfter(Noon));
    }
}
