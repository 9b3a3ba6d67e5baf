using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Tests.Reminders;

/// <summary>
/// Reminders end to end through a silo on fake time. The loop polls every second of fake time; each
/// tick is recorded by the grain as <c>key/name@due+dropped</c>.
/// </summary>
public sealed class ReminderServiceTests(MigratedPostgres postgres) : IClassFixture<MigratedPostgres>
{
    [Fact]
    public Task Periodic_ticks_arrive_at_their_due_times_from_memory() => PeriodicTicks(builder => builder.UseMemoryReminders());

    [Fact]
    public async Task Periodic_ticks_arrive_at_their_due_times_from_sqlite()
    {
        var connectionString = Databases.NewSqlite();
        try
        {
            await PeriodicTicks(builder => builder.UseSqliteReminders(connectionString));
        }
        finally
        {
            Databases.DeleteSqlite(connectionString);
        }
    }

    [PostgresFact]
    public Task Periodic_ticks_arrive_at_their_due_times_from_postgres() => PeriodicTicks(builder => builder.UsePostgresReminders(postgres.DataSource));

    [Fact]
    public async Task A_cron_reminder_fires_at_local_time_in_its_time_zone()
    {
        await using var silo = await TestSilo.StartAsync(builder => builder.UseMemoryReminders());
        var grain = silo.Grains.GetGrain<IReminderGrain>("cron");

        // 09:30 in New York on Monday 5 January 2026 (EST, UTC-5) is 14:30Z; the silo starts at 09:00Z.
        var registered = await grain.Register("open", ReminderSchedule.Cron("0 30 9 ? * MON-FRI", "America/New_York"), null);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 14, 30, 0, TimeSpan.Zero), registered.NextDue);

        silo.Time.Advance(TimeSpan.FromHours(5.5));
        await silo.Probe.WaitFor("cron/open@14:30:00+0");
        await silo.Silo.Reminders!.ProcessDueAsync(CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2026, 1, 6, 14, 30, 0, TimeSpan.Zero), (await grain.Find("open"))!.NextDue);
    }

    [Fact]
    public async Task A_one_shot_reminder_fires_once_and_is_gone()
    {
        await using var silo = await TestSilo.StartAsync(builder => builder.UseMemoryReminders());
        var grain = silo.Grains.GetGrain<IReminderGrain>("once");
        await grain.Register("wake", ReminderSchedule.Once(TestSilo.Start.AddSeconds(5)), null);

        silo.Time.Advance(TimeSpan.FromSeconds(5));
        await silo.Probe.WaitFor("once/wake@09:00:05+0");
        await silo.Silo.Reminders!.ProcessDueAsync(CancellationToken.None);

        Assert.Null(await grain.Find("wake"));
        silo.Time.Advance(TimeSpan.FromMinutes(5));
        await silo.Silo.Reminders.ProcessDueAsync(CancellationToken.None);
        Assert.Equal(["once/wake@09:00:05+0"], silo.Probe.Events);
    }

    /// <summary>The loop wakes for the next due time it read from the table, not only at its next poll.</summary>
    [Fact]
    public async Task A_tick_comes_at_its_due_time_not_at_the_next_poll()
    {
        await using var silo = await TestSilo.StartAsync(builder => builder.UseMemoryReminders());
        await silo.Grains.GetGrain<IReminderGrain>("prompt").Register("soon", ReminderSchedule.Once(TestSilo.Start.AddMilliseconds(300)), null);

        silo.Time.Advance(TimeSpan.FromMilliseconds(300));

        await silo.Probe.WaitFor("prompt/soon@09:00:00+0");
    }

    /// <summary>
    /// A grain that cannot be reached did not get the tick: it is not acknowledged (as a failing grain's
    /// is) but released, claimable again strictly after a poll interval, and then delivered once.
    /// </summary>
    [Fact]
    public async Task A_tick_whose_grain_cannot_be_reached_comes_once_a_poll_interval_later()
    {
        await using var silo = await TestSilo.StartAsync(builder => builder.UseMemoryReminders());
        await silo.Grains.GetGrain<IUnreachableOnceGrain>("away").Register("wake", ReminderSchedule.Once(TestSilo.Start.AddSeconds(5)));

        silo.Time.Advance(TimeSpan.FromSeconds(5));
        await silo.Silo.Reminders!.ProcessDueAsync(CancellationToken.None);
        Assert.Empty(silo.Probe.Events);
        Assert.NotNull(await silo.Silo.Reminders.GetAsync(new Grains.GrainId("UnreachableOnceGrain", "away"), "wake", CancellationToken.None));

        silo.Time.Advance(TimeSpan.FromSeconds(1).Add(TimeSpan.FromMilliseconds(1)));
        await silo.Probe.WaitFor("away/wake@09:00:05+0");
        await silo.Silo.Reminders.ProcessDueAsync(CancellationToken.None);
        silo.Time.Advance(TimeSpan.FromMinutes(1));
        await silo.Silo.Reminders.ProcessDueAsync(CancellationToken.None);

        Assert.Equal(["away/wake@09:00:05+0"], silo.Probe.Events);
        Assert.Null(await silo.Silo.Reminders.GetAsync(new Grains.GrainId("UnreachableOnceGrain", "away"), "wake", CancellationToken.None));
    }

    [Fact]
    public async Task An_unregistered_reminder_never_fires()
    {
        await using var silo = await TestSilo.StartAsync(builder => builder.UseMemoryReminders());
        var grain = silo.Grains.GetGrain<IReminderGrain>("gone");
        await grain.Register("r", ReminderSchedule.Every(TimeSpan.FromSeconds(2), TestSilo.Start.AddSeconds(2)), null);

        Assert.True(await grain.Unregister("r"));
        silo.Time.Advance(TimeSpan.FromSeconds(10));
        await silo.Silo.Reminders!.ProcessDueAsync(CancellationToken.None);

        Assert.Empty(silo.Probe.Events);
    }

    /// <summary>
    /// A silo registers a reminder and goes down; ten minutes later another silo on the same table
    /// comes up. Fire-once delivers the latest missed tick (saying how many were dropped) and the one
    /// still on time, then the schedule goes on; nothing is ever delivered twice.
    /// </summary>
    [Fact]
    public async Task Ticks_missed_while_no_silo_ran_follow_the_policy_and_are_never_repeated()
    {
        var table = new MemoryReminderTable();
        var time = new FakeTimeProvider(TestSilo.Start);
        var probe = new Probe();
        await using (var first = await TestSilo.StartAsync(builder => builder.UseReminders(table), time, probe, "first"))
        {
            await first.Grains.GetGrain<IReminderGrain>("m").Register("minutely", ReminderSchedule.Every(TimeSpan.FromMinutes(1), TestSilo.Start.AddMinutes(1)), MissedTickPolicy.FireOnce);
        }

        time.Advance(TimeSpan.FromMinutes(10).Add(TimeSpan.FromSeconds(29)));
        await using var second = await TestSilo.StartAsync(builder => builder.UseReminders(table), time, probe, "second");
        time.Advance(TimeSpan.FromSeconds(1));
        await probe.WaitFor("m/minutely@09:10:00+0");
        await second.Silo.Reminders!.ProcessDueAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));
        await probe.WaitFor("m/minutely@09:11:00+0");
        await second.Silo.Reminders.ProcessDueAsync(CancellationToken.None);

        Assert.Equal(["m/minutely@09:09:00+8", "m/minutely@09:10:00+0", "m/minutely@09:11:00+0"], probe.Events);
        var statistics = second.Silo.GetStatistics().Reminders;
        Assert.Equal((3L, 0L, 8L), (statistics.Delivered, statistics.Failed, statistics.Dropped));
        Assert.Equal(TimeSpan.FromSeconds(90), statistics.MaxLateness);
    }

    [Fact]
    public async Task A_grain_that_does_not_implement_IRemindable_cannot_register_reminders()
    {
        await using var silo = await TestSilo.StartAsync(builder => builder.UseMemoryReminders());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            silo.Silo.Reminders!.RegisterOrUpdateAsync(new Grains.GrainId("CounterGrain", "x"), "r", ReminderSchedule.Once(TestSilo.Start), null, CancellationToken.None));

        Assert.Contains("does not implement IRemindable", error.Message, StringComparison.Ordinal);
    }

    private static async Task PeriodicTicks(Action<SiloBuilder> reminders)
    {
        await using var silo = await TestSilo.StartAsync(reminders);
        var key = Guid.NewGuid().ToString("N")[..8];
        var grain = silo.Grains.GetGrain<IReminderGrain>(key);

        var registered = await grain.Register("beat", ReminderSchedule.Every(TimeSpan.FromSeconds(10), TestSilo.Start.AddSeconds(10)), MissedTickPolicy.Skip);
        Assert.Equal(TestSilo.Start.AddSeconds(10), registered.NextDue);

        silo.Time.Advance(TimeSpan.FromSeconds(10));
        await silo.Probe.WaitFor($"{key}/beat@09:00:10+0");
        silo.Time.Advance(TimeSpan.FromSeconds(10));
        await silo.Probe.WaitFor($"{key}/beat@09:00:20+0");
        await silo.Silo.Reminders!.ProcessDueAsync(CancellationToken.None);

        Assert.Equal([$"{key}/beat@09:00:10+0", $"{key}/beat@09:00:20+0"], silo.Probe.Events);
        Assert.Equal(TestSilo.Start.AddSeconds(30), (await grain.Find("beat"))!.NextDue);
    }
}
