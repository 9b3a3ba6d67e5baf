using MarketSpine.Grains.Embedded;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;

namespace MarketSpine.Cli.Hosting;

/// <summary>
/// The reminders table as a process that does not serve the whole database sees it: every write goes
/// through (a submission registers its execution's watchdog for the worker to find), but it claims only
/// the reminders of grains it owns: none for a <see cref="SiloRole.Client"/>, the executions it submitted
/// for a <see cref="SiloRole.Runner"/>. Claiming another process's watchdog would activate that
/// execution here, find it running with no attempt in this process, and fail it as orphaned.
/// <paramref name="owns"/> says whether this process handles a grain's reminders; null when it handles none (and never claims).
/// </summary>
internal sealed class ScopedReminderTable(IReminderTable inner, Func<GrainId, bool>? owns, TimeProvider time) : IReminderTable
{
    // How many claims one pass may spend on reminders that are due but not ours before it gives up
    // until the next poll; the foreign ones are released a second ahead so that the next claim
    // reaches past them.
    private const int MaxForeignBatches = 8;
    private static readonly TimeSpan ForeignHold = TimeSpan.FromSeconds(1);

    public Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken) => inner.ReadAsync(grain, name, cancellationToken);

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(GrainId grain, CancellationToken cancellationToken) => inner.ReadAllAsync(grain, cancellationToken);

    public Task UpsertAsync(ReminderEntry entry, DateTimeOffset now, CancellationToken cancellationToken) => inner.UpsertAsync(entry, now, cancellationToken);

    public Task<bool> RemoveAsync(GrainId grain, string name, CancellationToken cancellationToken) => inner.RemoveAsync(grain, name, cancellationToken);

    public async Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(DateTimeOffset now, string silo, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        var owned = new List<ReminderEntry>();
        if (owns is null)
        {
            return owned;
        }

        for (var batch = 0; batch < MaxForeignBatches && owned.Count == 0; batch++)
        {
            var claimed = await inner.ClaimDueAsync(now, silo, leaseUntil, limit, cancellationToken);
            var foreign = new List<ReminderRelease>();
            foreach (var entry in claimed)
            {
                if (owns(entry.Grain))
                {
                    owned.Add(entry);
                }
                else
                {
                    foreign.Add(new ReminderRelease(entry, silo, time.GetUtcNow() + ForeignHold));
                }
            }

            if (foreign.Count > 0)
            {
                await inner.ReleaseAsync(foreign, CancellationToken.None);
            }

            if (claimed.Count < limit)
            {
                break;
            }
        }

        return owned;
    }

    public Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset time, CancellationToken cancellationToken) =>
        owns is null ? Task.FromResult<DateTimeOffset?>(null) : inner.NextDueAfterAsync(time, cancellationToken);

    public Task<IReadOnlyList<bool>> AcknowledgeAsync(IReadOnlyList<ReminderAcknowledgement> acknowledgements, CancellationToken cancellationToken) =>
        inner.AcknowledgeAsync(acknowledgements, cancellationToken);

    public Task<IReadOnlyList<bool>> ReleaseAsync(IReadOnlyList<ReminderRelease> releases, CancellationToken cancellationToken) =>
        inner.ReleaseAsync(releases, cancellationToken);

    public Task<int> ReleaseAllAsync(string silo, CancellationToken cancellationToken) => inner.ReleaseAllAsync(silo, cancellationToken);
}
