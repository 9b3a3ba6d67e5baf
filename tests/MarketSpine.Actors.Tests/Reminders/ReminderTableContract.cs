using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;

namespace MarketSpine.Actors.Tests.Reminders;

/// <summary>The behaviour every <see cref="IReminderTable"/> must have; each backend's test class runs it.</summary>
public static class ReminderTableContract
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public static async Task StoresReadsAndRemoves(IReminderTable table)
    {
        var grain = NewGrain();
        var periodic = Entry(grain, "p", ReminderSchedule.Every(TimeSpan.FromMilliseconds(1500), T0), T0, MissedTickPolicy.CatchUp(4) with { Threshold = TimeSpan.FromSeconds(90) });
        var cron = Entry(grain, "c", ReminderSchedule.Cron("0 30 9 ? * MON-FRI", "America/New_York"), T0.AddHours(5).AddMinutes(30), MissedTickPolicy.Skip);
        var once = Entry(grain, "o", ReminderSchedule.Once(T0.AddDays(1)), T0.AddDays(1), MissedTickPolicy.FireOnce);
        foreach (var entry in new[] { periodic, cron, once })
        {
            await table.UpsertAsync(entry, T0, CancellationToken.None);
        }

        Assert.Equal(periodic, await table.ReadAsync(grain, "p", CancellationToken.None));
        Assert.Equal([cron, once, periodic], await table.ReadAllAsync(grain, CancellationToken.None));
        Assert.Null(await table.ReadAsync(grain, "missing", CancellationToken.None));
        Assert.True(await table.RemoveAsync(grain, "c", CancellationToken.None));
        Assert.False(await table.RemoveAsync(grain, "c", CancellationToken.None));
        Assert.Equal([once, periodic], await table.ReadAllAsync(grain, CancellationToken.None));
    }

    public static async Task ClaimsDueRowsUnderALeaseAndAcknowledgesTicks(IReminderTable table)
    {
        var grain = NewGrain();
        var first = Entry(grain, "first", ReminderSchedule.Every(TimeSpan.FromMinutes(1), T0), T0, MissedTickPolicy.FireOnce);
        var later = Entry(grain, "later", ReminderSchedule.Every(TimeSpan.FromMinutes(1), T0.AddMinutes(1)), T0.AddMinutes(1), MissedTickPolicy.FireOnce);
        await table.UpsertAsync(first, T0, CancellationToken.None);
        await table.UpsertAsync(later, T0, CancellationToken.None);

        var claimed = await ClaimMine(table, grain, T0, "silo-a");
        Assert.Equal([first], claimed);
        Assert.Empty(await ClaimMine(table, grain, T0, "silo-b"));

        Assert.True(await table.AcknowledgeAsync(new ReminderAcknowledgement(first, "silo-a", T0, T0.AddMinutes(1), Release: true), CancellationToken.None));
        Assert.Equal(first with { NextDue = T0.AddMinutes(1), LastAcknowledgedDue = T0 }, await table.ReadAsync(grain, "first", CancellationToken.None));

        // Released: due again at 09:01 with the other reminder. An acknowledgement by a silo that holds no claim changes nothing.
        Assert.False(await table.AcknowledgeAsync(new ReminderAcknowledgement(first, "silo-a", T0.AddMinutes(1), T0.AddMinutes(2), Release: true), CancellationToken.None));
        Assert.Equal(["first", "later"], (await ClaimMine(table, grain, T0.AddMinutes(1), "silo-b")).Select(e => e.Name).Order(StringComparer.Ordinal));

        // A silo that died holding a claim loses it when the lease ends.
        Assert.Empty(await ClaimMine(table, grain, T0.AddMinutes(1) + Lease, "silo-c"));
        Assert.Equal(2, (await ClaimMine(table, grain, T0.AddMinutes(1) + Lease + TimeSpan.FromMilliseconds(1), "silo-c")).Count);
    }

    public static async Task AnAcknowledgementNeverOverwritesANewRegistration(IReminderTable table)
    {
        var grain = NewGrain();
        var original = Entry(grain, "r", ReminderSchedule.Every(TimeSpan.FromMinutes(1), T0), T0, MissedTickPolicy.FireOnce);
        await table.UpsertAsync(original, T0, CancellationToken.None);
        var claimed = Assert.Single(await ClaimMine(table, grain, T0, "silo-a"));
        var replaced = Entry(grain, "r", ReminderSchedule.Every(TimeSpan.FromHours(1), T0), T0, MissedTickPolicy.Skip);
        await table.UpsertAsync(replaced, T0, CancellationToken.None);

        Assert.False(await table.AcknowledgeAsync(new ReminderAcknowledgement(claimed, "silo-a", T0, T0.AddMinutes(1), Release: true), CancellationToken.None));

        Assert.Equal(replaced with { LastAcknowledgedDue = T0 }, await table.ReadAsync(grain, "r", CancellationToken.None));
        Assert.Single(await ClaimMine(table, grain, T0, "silo-b"));
    }

    public static async Task TheLastTickOfAOneShotReminderRemovesIt(IReminderTable table)
    {
        var grain = NewGrain();
        var once = Entry(grain, "once", ReminderSchedule.Once(T0), T0, MissedTickPolicy.FireOnce);
        await table.UpsertAsync(once, T0, CancellationToken.None);
        var claimed = Assert.Single(await ClaimMine(table, grain, T0.AddSeconds(3), "silo-a"));

        Assert.True(await table.AcknowledgeAsync(new ReminderAcknowledgement(claimed, "silo-a", T0, null, Release: true), CancellationToken.None));

        Assert.Null(await table.ReadAsync(grain, "once", CancellationToken.None));
    }

    private static async Task<IReadOnlyList<ReminderEntry>> ClaimMine(IReminderTable table, GrainId grain, DateTimeOffset now, string silo) =>
        [.. (await table.ClaimDueAsync(now, silo, now + Lease, 1000, CancellationToken.None)).Where(e => e.Grain == grain)];

    private static GrainId NewGrain() => new("ReminderGrain", Guid.NewGuid().ToString("N"));

    private static ReminderEntry Entry(GrainId grain, string name, ReminderSchedule schedule, DateTimeOffset nextDue, MissedTickPolicy policy) =>
        new(grain, name, schedule, policy, nextDue, null, Guid.NewGuid().ToString("N"));
}
