using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Tests.Reminders;

public sealed class PostgresReminderTableTests(MigratedPostgres postgres) : IClassFixture<MigratedPostgres>
{
    [PostgresFact]
    public Task Stores_reads_and_removes() => ReminderTableContract.StoresReadsAndRemoves(Table());

    [PostgresFact]
    public Task Claims_due_rows_under_a_lease_and_acknowledges_ticks() => ReminderTableContract.ClaimsDueRowsUnderALeaseAndAcknowledgesTicks(Table());

    [PostgresFact]
    public Task An_acknowledgement_never_overwrites_a_new_registration() => ReminderTableContract.AnAcknowledgementNeverOverwritesANewRegistration(Table());

    [PostgresFact]
    public Task The_last_tick_of_a_one_shot_reminder_removes_it() => ReminderTableContract.TheLastTickOfAOneShotReminderRemovesIt(Table());

    [PostgresFact]
    public Task Acknowledges_a_batch_with_an_outcome_per_reminder() => ReminderTableContract.AcknowledgesABatchWithAnOutcomePerReminder(Table());

    [PostgresFact]
    public Task Released_reminders_are_claimable_again_from_the_time_given() => ReminderTableContract.ReleasedRemindersAreClaimableAgainFromTheTimeGiven(Table());

    [PostgresFact]
    public Task Releasing_all_of_a_silos_claims_frees_them_at_once() => ReminderTableContract.ReleasingAllOfASilosClaimsFreesThemAtOnce(Table());

    [PostgresFact]
    public Task Finds_the_next_due_time_after_a_moment() => ReminderTableContract.FindsTheNextDueTimeAfterAMoment(Table());

    /// <summary>Silos polling at the same moment never claim the same reminder (FOR UPDATE SKIP LOCKED).</summary>
    [PostgresFact]
    public async Task Concurrent_claims_by_several_silos_take_disjoint_rows()
    {
        var table = Table();
        // Due long before the other tests' rows, so these are the first in next_due order.
        var due = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var type = $"claims-{Guid.NewGuid():N}";
        for (var i = 0; i < 60; i++)
        {
            await table.UpsertAsync(
                new ReminderEntry(new GrainId(type, $"k{i}"), "r", ReminderSchedule.Once(due), MissedTickPolicy.FireOnce, due, null, $"e{i}"),
                now, CancellationToken.None);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(silo =>
            table.ClaimDueAsync(now, $"silo-{silo}", now.AddMinutes(2), 15, CancellationToken.None)));

        var mine = claims.Select(c => c.Where(e => e.Grain.Type == type).Select(e => e.Grain.Key).ToList()).ToList();
        Assert.Equal(60, mine.Sum(c => c.Count));
        Assert.Equal(60, mine.SelectMany(c => c).Distinct(StringComparer.Ordinal).Count());
    }

    private PostgresReminderTable Table() => new(postgres.DataSource);
}
