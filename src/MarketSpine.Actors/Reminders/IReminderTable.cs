using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// Durable reminders. Due rows are claimed with a lease (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>,
/// so silos sharing the table never claim the same row); a crashed silo's claims expire with their
/// lease. Acknowledgements are conditional on the claim and the registration's ETag.
/// </summary>
public interface IReminderTable
{
    Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(GrainId grain, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the schedule, policy, next due time and ETag; keeps the claim and the last acknowledged tick.</summary>
    Task UpsertAsync(ReminderEntry entry, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(GrainId grain, string name, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="limit"/> rows due at <paramref name="now"/> and not claimed by a live lease.</summary>
    Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(DateTimeOffset now, string silo, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records a handled tick. Returns false when the reminder changed or went away meanwhile (then
    /// the tick is still recorded as handled and this silo's claim is released).
    /// </summary>
    Task<bool> AcknowledgeAsync(ReminderAcknowledgement acknowledgement, CancellationToken cancellationToken);
}
