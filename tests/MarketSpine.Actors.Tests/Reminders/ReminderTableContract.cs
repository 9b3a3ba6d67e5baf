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

        Assert.True(await AcknowledgeOne(table, new ReminderAcknowledgement(first, "silo-a", T0, T0.AddMinutes(1), Release: true)));
        Assert.Equal(first with { NextDue = T0.AddMinutes(1), LastAcknowledgedDue = T0 }, await table.ReadAsync(grain, "first", CancellationToken.None));

        // Released: due again at 09:01 with the other reminder. An acknowledgement by a silo that holds no claim changes nothing.
        Assert.False(await AcknowledgeOne(table, new ReminderAcknowledgement(first, "silo-a", T0.AddMinutes(1), T0.AddMinutes(2), Release: true)));
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

        Assert.False(await AcknowledgeOne(table, new ReminderAcknowledgement(claimed, "silo-a", T0, T0.AddMinutes(1), Release: true)));

        Assert.Equal(replaced with { LastAcknowledgedDue = T0 }, await table.ReadAsync(grain, "r", CancellationToken.None));
        Assert.Single(await ClaimMine(table, grain, T0, "silo-b"));
    }

    public static async Task TheLastTickOfAOneShotReminderRemovesIt(IReminderTable table)
    {
        var grain = NewGrain();
        var once = Entry(grain, "once", ReminderSchedule.Once(T0), T0, MissedTickPolicy.FireOnce);
        await table.UpsertAsync(once, T0, CancellationToken.None);
        var claimed = Assert.Single(await ClaimMine(table, grain, T0.AddSeconds(3), "silo-a"));

        Assert.True(await AcknowledgeOne(table, new ReminderAcknowledgement(claimed, "silo-a", T0, null, Release: true)));

        Assert.Null(await table.ReadAsync(grain, "once", CancellationToken.None));
    }

    /// <summary>One statement, four outcomes: a schedule moved on, a reminder finished, a registration that changed meanwhile, a claim not held.</summary>
    public static async Task AcknowledgesABatchWithAnOutcomePerReminder(IReminderTable table)
    {
        var grain = NewGrain();
        var periodic = Entry(grain, "periodic", ReminderSchedule.Every(TimeSpan.FromMinutes(1), T0), T0, MissedTickPolicy.FireOnce);
        var once = Entry(grain, "once", ReminderSchedule.Once(T0), T0, MissedTickPolicy.FireOnce);
        var changed = Entry(grain, "changed", ReminderSchedule.Every(TimeSpan.FromMinutes(1), T0), T0, MissedTickPolicy.FireOnce);
        var elsewhere = Entry(grain, "elsewhere", ReminderSchedule.Every(TimeSpan.FromMinutes(1), T0), T0, MissedTickPolicy.FireOnce);
        foreach (var entry in new[] { periodic, once, changed, elsewhere })
        {
            await table.UpsertAsync(entry, T0, CancellationToken.None);
        }

        var mine = (await ClaimMine(table, grain, T0, "silo-a")).Where(e => e.Name != "elsewhere").ToDictionary(e => e.Name);
        var replaced = Entry(grain, "changed", ReminderSchedule.Every(TimeSpan.FromHours(1), T0), T0, MissedTickPolicy.Skip);
        await table.UpsertAsync(replaced, T0, CancellationToken.None);

        var results = await table.AcknowledgeAsync(
        [
            new ReminderAcknowledgement(mine["periodic"], "silo-a", T0, T0.AddMinutes(1), Release: false),
            new ReminderAcknowledgement(mine["once"], "silo-a", T0, null, Release: true),
            new ReminderAcknowledgement(mine["changed"], "silo-a", T0, T0.AddMinutes(1), Release: true),
            new ReminderAcknowledgement(elsewhere, "silo-b", T0, T0.AddMinutes(1), Release: true),
        ], CancellationToken.None);

        Assert.Equal([true, true, false, false], results);
        Assert.Equal(periodic with { NextDue = T0.AddMinutes(1), LastAcknowledgedDue = T0 }, await table.ReadAsync(grain, "periodic", CancellationToken.None));
        Assert.Null(await table.ReadAsync(grain, "once", CancellationToken.None));
        Assert.Equal(replaced with { LastAcknowledgedDue = T0 }, await table.ReadAsync(grain, "changed", CancellationToken.None));

        // Kept claimed (Release: false) or claimed by silo-a all along; the changed one was let go.
        Assert.Equal(["changed"], (await ClaimMine(table, grain, T0.AddMinutes(1), "silo-b")).Select(e => e.Name));
    }

    /// <summary>A released reminder keeps its due tick and is claimable again from the time given, by any silo.</summary>
    public static async Task ReleasedRemindersAreClaimableAgainFromTheTimeGiven(IReminderTable table)
    {
        var grain = NewGrain();
        var entry = Entry(grain, "r", ReminderSchedule.Every(TimeSpan.FromMinutes(1), T0), T0, MissedTickPolicy.FireOnce);
        await table.UpsertAsync(entry, T0, CancellationToken.None);
        var claimed = Assert.Single(await ClaimMine(table, grain, T0, "silo-a"));

        Assert.Equal([false], await table.ReleaseAsync([new ReminderRelease(claimed, "silo-b", T0.AddSeconds(1))], CancellationToken.None));
        Assert.Equal([true], await table.ReleaseAsync([new ReminderRelease(claimed, "silo-a", T0.AddSeconds(1))], CancellationToken.None));

        Assert.Empty(await ClaimMine(table, grain, T0.AddSeconds(1), "silo-b"));
        Assert.Equal(entry, Assert.Single(await ClaimMine(table, grain, T0.AddSeconds(1).AddMilliseconds(1), "silo-b")));
        Assert.Equal([false], await table.AcknowledgeAsync([new ReminderAcknowledgement(claimed, "silo-a", T0, T0.AddMinutes(1), Release: true)], CancellationToken.None));
    }

    /// <summary>The claims of a silo that left end at once, not with their lease.</summary>
    public static async Task ReleasingAllOfASilosClaimsFreesThemAtOnce(IReminderTable table)
    {
        var grain = NewGrain();
        var silo = $"gone-{Guid.NewGuid():N}";
        await table.UpsertAsync(Entry(grain, "a", ReminderSchedule.Once(T0), T0, MissedTickPolicy.FireOnce), T0, CancellationToken.None);
        await table.UpsertAsync(Entry(grain, "b", ReminderSchedule.Once(T0), T0, MissedTickPolicy.FireOnce), T0, CancellationToken.None);
        Assert.Equal(2, (await ClaimMine(table, grain, T0, silo)).Count);

        Assert.Equal(2, await table.ReleaseAllAsync(silo, CancellationToken.None));

        Assert.Equal(2, (await ClaimMine(table, grain, T0, "silo-b")).Count);
        Assert.Equal(0, await table.ReleaseAllAsync(silo, CancellationToken.None));
    }

    /// <summary>The next due time strictly after a moment, whoever holds it; none when nothing is due later.</summary>
    public static async Task FindsTheNextDueTimeAfterAMoment(IReminderTable table)
    {
        // Far in the future, so that other tests' rows sharing the table are all due earlier.
        var far = new DateTimeOffset(2090, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var grain = NewGrain();
        await table.UpsertAsync(Entry(grain, "a", ReminderSchedule.Once(far), far, MissedTickPolicy.FireOnce), far, CancellationToken.None);
        await table.UpsertAsync(Entry(grain, "b", ReminderSchedule.Once(far.AddSeconds(3)), far.AddSeconds(3), MissedTickPolicy.FireOnce), far, CancellationToken.None);

        Assert.Equal(far, await table.NextDueAfterAsync(far.AddMilliseconds(-1), CancellationToken.None));
        Assert.Equal(far.AddSeconds(3), await table.NextDueAfterAsync(far, CancellationToken.None));
        Assert.Null(await table.NextDueAfterAsync(far.AddSeconds(3), CancellationToken.None));
        Assert.True(await table.RemoveAsync(grain, "a", CancellationToken.None));
        Assert.True(await table.RemoveAsync(grain, "b", CancellationToken.None));
    }

    private static async Task<bool> AcknowledgeOne(IReminderTable table, ReminderAcknowledgement acknowledgement) =>
        Assert.Single(await table.AcknowledgeAsync([acknowledgement], CancellationToken.None));

    private static async Task<IReadOnlyList<ReminderEntry>> ClaimMine(IReminderTable table, GrainId grain, DateTimeOffset now, string silo) =>
        [.. (await table.ClaimDueAsync(now, silo, now + Lease, 1000, CancellationToken.None)).Where(e => e.Grain == grain)];

    private static GrainId NewGrain() => new("ReminderGrain", Guid.NewGuid().ToString("N"));

    private static ReminderEntry Entry(GrainId grain, string name, ReminderSchedule schedule, DateTimeOffset nextDue, MissedTickPolicy policy) =>
        new(grain, name, schedule, policy, nextDue, null, Guid.NewGuid().ToString("N"));
}
