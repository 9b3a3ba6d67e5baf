using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// Durable reminders. Due rows are claimed with a lease (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>,
/// so silos sharing the table never claim the same row); a crashed silo's claims expire with their
/// lease, or end at once when its peers see it leave (<see cref="ReleaseAllAsync"/>). Acknowledgements
/// are conditional on the claim and the registration's ETag. The batch methods take at most one
/// item per reminder: a silo writes each reminder from one delivery at a time.
/// </summary>
public interface IReminderTable
{
    Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(GrainId grain, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the schedule, policy, next due time and ETag; keeps the claim and the last acknowledged tick.</summary>
    Task UpsertAsync(ReminderEntry entry, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(GrainId grain, string name, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="limit"/> rows due at <paramref name="now"/> and not claimed by a live lease, earliest first.</summary>
    Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(DateTimeOffset now, string silo, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>The earliest due time strictly after <paramref name="time"/>, or null when no reminder is due later.</summary>
    Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>
    /// Records handled ticks, all in one round trip. Per acknowledgement: false when the reminder
    /// changed or went away meanwhile (then the tick is still recorded as handled and the claim is
    /// released), or when the silo no longer holds the claim (then nothing changes).
    /// </summary>
    Task<IReadOnlyList<bool>> AcknowledgeAsync(IReadOnlyList<ReminderAcknowledgement> acknowledgements, CancellationToken cancellationToken);

    /// <summary>
    /// Gives up claims without recording a tick, all in one round trip: each reminder may be claimed
    /// again from its <see cref="ReminderRelease.ClaimableFrom"/>. Per release: false when the silo no
    /// longer held the claim.
    /// </summary>
    Task<IReadOnlyList<bool>> ReleaseAsync(IReadOnlyList<ReminderRelease> releases, CancellationToken cancellationToken);

    /// <summary>Ends every claim of <paramref name="silo"/> at once (it left the cluster, or was declared dead); returns how many it held.</summary>
    Task<int> ReleaseAllAsync(string silo, CancellationToken cancellationToken);
}
