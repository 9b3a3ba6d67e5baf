using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.Reminders;

public sealed class SqliteReminderTableTests : IDisposable
{
    private readonly string _connectionString = Databases.NewSqlite();

    [Fact]
    public Task Stores_reads_and_removes() => ReminderTableContract.StoresReadsAndRemoves(Table());

    [Fact]
    public Task Claims_due_rows_under_a_lease_and_acknowledges_ticks() => ReminderTableContract.ClaimsDueRowsUnderALeaseAndAcknowledgesTicks(Table());

    [Fact]
    public Task An_acknowledgement_never_overwrites_a_new_registration() => ReminderTableContract.AnAcknowledgementNeverOverwritesANewRegistration(Table());

    [Fact]
    public Task The_last_tick_of_a_one_shot_reminder_removes_it() => ReminderTableContract.TheLastTickOfAOneShotReminderRemovesIt(Table());

    [Fact]
    public Task Acknowledges_a_batch_with_an_outcome_per_reminder() => ReminderTableContract.AcknowledgesABatchWithAnOutcomePerReminder(Table());

    [Fact]
    public Task Released_reminders_are_claimable_again_from_the_time_given() => ReminderTableContract.ReleasedRemindersAreClaimableAgainFromTheTimeGiven(Table());

    [Fact]
    public Task Releasing_all_of_a_silos_claims_frees_them_at_once() => ReminderTableContract.ReleasingAllOfASilosClaimsFreesThemAtOnce(Table());

    [Fact]
    public Task Finds_the_next_due_time_after_a_moment() => ReminderTableContract.FindsTheNextDueTimeAfterAMoment(Table());

    public void Dispose() => Databases.DeleteSqlite(_connectionString);

    private SqliteReminderTable Table() => new(_connectionString);
}
