using MarketSpine.Actors.Reminders;

namespace MarketSpine.Actors.Tests.Reminders;

public sealed class MemoryReminderTableTests
{
    [Fact]
    public Task Stores_reads_and_removes() => ReminderTableContract.StoresReadsAndRemoves(new MemoryReminderTable());

    [Fact]
    public Task Claims_due_rows_under_a_lease_and_acknowledges_ticks() =>
        ReminderTableContract.ClaimsDueRowsUnderALeaseAndAcknowledgesTicks(new MemoryReminderTable());

    [Fact]
    public Task An_acknowledgement_never_overwrites_a_new_registration() =>
        ReminderTableContract.AnAcknowledgementNeverOverwritesANewRegistration(new MemoryReminderTable());

    [Fact]
    public Task The_last_tick_of_a_one_shot_reminder_removes_it() =>
        ReminderTableContract.TheLastTickOfAOneShotReminderRemovesIt(new MemoryReminderTable());

    [Fact]
    public Task Acknowledges_a_batch_with_an_outcome_per_reminder() => ReminderTableContract.AcknowledgesABatchWithAnOutcomePerReminder(new MemoryReminderTable());

    [Fact]
    public Task Released_reminders_are_claimable_again_from_the_time_given() => ReminderTableContract.ReleasedRemindersAreClaimableAgainFromTheTimeGiven(new MemoryReminderTable());

    [Fact]
    public Task Releasing_all_of_a_silos_claims_frees_them_at_once() => ReminderTableContract.ReleasingAllOfASilosClaimsFreesThemAtOnce(new MemoryReminderTable());

    [Fact]
    public Task Finds_the_next_due_time_after_a_moment() => ReminderTableContract.FindsTheNextDueTimeAfterAMoment(new MemoryReminderTable());
}
