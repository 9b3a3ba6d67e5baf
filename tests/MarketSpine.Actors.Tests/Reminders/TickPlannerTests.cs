using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;

namespace MarketSpine.Actors.Tests.Reminders;

public sealed class TickPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_tick_within_the_threshold_is_delivered_whatever_the_policy()
    {
        foreach (var policy in new[] { MissedTickPolicy.Skip, MissedTickPolicy.FireOnce, MissedTickPolicy.CatchUp(3) })
        {
            var plan = TickPlanner.Plan(Entry(policy, nextDue: T0), T0.AddSeconds(59));

            Assert.Equal([new PlannedTick(T0, 0)], plan.Deliver);
            Assert.Equal((0, T0, T0.AddMinutes(1)), (plan.Dropped, plan.LastHandled, plan.NextDue));
        }
    }

    [Fact]
    public void Skip_drops_missed_ticks_and_delivers_those_within_the_threshold()
    {
        // Due 09:00 ... 09:10 every minute; at 09:10:30 the ticks up to 09:09 are missed.
        var plan = TickPlanner.Plan(Entry(MissedTickPolicy.Skip, nextDue: T0), T0.AddMinutes(10).AddSeconds(30));

        Assert.Equal([new PlannedTick(T0.AddMinutes(10), 10)], plan.Deliver);
        Assert.Equal((10, T0.AddMinutes(10), T0.AddMinutes(11)), (plan.Dropped, plan.LastHandled, plan.NextDue));
    }

    [Fact]
    public void Skip_with_only_missed_ticks_delivers_nothing_and_moves_on()
    {
        var everyTenMinutes = ReminderSchedule.Every(TimeSpan.FromMinutes(10), T0);

        var plan = TickPlanner.Plan(Entry(MissedTickPolicy.Skip, nextDue: T0, schedule: everyTenMinutes), T0.AddMinutes(25));

        Assert.Empty(plan.Deliver);
        Assert.Equal((3, T0.AddMinutes(20), T0.AddMinutes(30)), (plan.Dropped, plan.LastHandled, plan.NextDue));
    }

    [Fact]
    public void Fire_once_delivers_the_latest_missed_tick_in_place_of_all_of_them()
    {
        var plan = TickPlanner.Plan(Entry(MissedTickPolicy.FireOnce, nextDue: T0), T0.AddMinutes(10).AddSeconds(30));

        Assert.Equal([new PlannedTick(T0.AddMinutes(9), 9), new PlannedTick(T0.AddMinutes(10), 0)], plan.Deliver);
        Assert.Equal(9, plan.Dropped);
    }

    [Fact]
    public void Catch_up_delivers_the_latest_n_missed_ticks_in_order()
    {
        var plan = TickPlanner.Plan(Entry(MissedTickPolicy.CatchUp(3), nextDue: T0), T0.AddMinutes(10).AddSeconds(30));

        Assert.Equal(
            [new PlannedTick(T0.AddMinutes(7), 7), new PlannedTick(T0.AddMinutes(8), 0), new PlannedTick(T0.AddMinutes(9), 0), new PlannedTick(T0.AddMinutes(10), 0)],
            plan.Deliver);
        Assert.Equal(7, plan.Dropped);
    }

    [Fact]
    public void The_threshold_is_part_of_the_policy()
    {
        var plan = TickPlanner.Plan(Entry(MissedTickPolicy.Skip with { Threshold = TimeSpan.FromMinutes(5) }, nextDue: T0), T0.AddMinutes(10).AddSeconds(30));

        Assert.Equal(Enumerable.Range(6, 5).Select(m => T0.AddMinutes(m)), plan.Deliver.Select(t => t.Due));
        Assert.Equal(6, plan.Dropped);
    }

    [Fact]
    public void Acknowledged_ticks_are_never_planned_again()
    {
        var plan = TickPlanner.Plan(Entry(MissedTickPolicy.FireOnce, nextDue: T0, acknowledged: T0.AddMinutes(1)), T0.AddMinutes(2));

        Assert.Equal([new PlannedTick(T0.AddMinutes(2), 0)], plan.Deliver);
    }

    [Fact]
    public void A_one_shot_reminder_ends_after_its_tick_and_fires_however_late_unless_skipped()
    {
        var once = ReminderSchedule.Once(T0);

        var late = TickPlanner.Plan(Entry(MissedTickPolicy.FireOnce, T0, schedule: once), T0.AddHours(5));
        var skipped = TickPlanner.Plan(Entry(MissedTickPolicy.Skip, T0, schedule: once), T0.AddHours(5));

        Assert.Equal([new PlannedTick(T0, 0)], late.Deliver);
        Assert.Null(late.NextDue);
        Assert.Empty(skipped.Deliver);
        Assert.Equal((1, T0, (DateTimeOffset?)null), (skipped.Dropped, skipped.LastHandled, skipped.NextDue));
    }

    [Fact]
    public void Nothing_is_planned_before_the_due_time()
    {
        var plan = TickPlanner.Plan(Entry(MissedTickPolicy.FireOnce, nextDue: T0), T0.AddMilliseconds(-1));

        Assert.Empty(plan.Deliver);
        Assert.Equal((0, (DateTimeOffset?)null, (DateTimeOffset?)T0), (plan.Dropped, plan.LastHandled, plan.NextDue));
    }

    private static ReminderEntry Entry(MissedTickPolicy policy, DateTimeOffset nextDue, DateTimeOffset? acknowledged = null, ReminderSchedule? schedule = null) =>
        new(new GrainId("g", "k"), "r", schedule ?? ReminderSchedule.Every(TimeSpan.FromMinutes(1), T0), policy, nextDue, acknowledged, "etag");
}
