using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>Reminders in memory, for tests and a single process that needs no durability.</summary>
public sealed class MemoryReminderTable : IReminderTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId Grain, string Name), Row> _rows = [];

    public Task<ReminderEntry?> ReadAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.GetValueOrDefault((grain, name))?.Entry);
        }
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(GrainId grain, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<ReminderEntry> entries = [.. _rows.Values.Where(r => r.Entry.Grain == grain).Select(r => r.Entry).OrderBy(e => e.Name, StringComparer.Ordinal)];
            return Task.FromResult(entries);
        }
    }

    public Task UpsertAsync(ReminderEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_lock)
        {
            var key = (entry.Grain, entry.Name);
            _rows[key] = _rows.TryGetValue(key, out var existing)
                ? existing with { Entry = entry with { LastAcknowledgedDue = existing.Entry.LastAcknowledgedDue } }
                : new Row(entry with { LastAcknowledgedDue = null }, null, null);
        }

        return Task.CompletedTask;
    }

    public Task<bool> RemoveAsync(GrainId grain, string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.Remove((grain, name)));
        }
    }

    public Task<IReadOnlyList<ReminderEntry>> ClaimDueAsync(DateTimeOffset now, string silo, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var due = _rows.Where(pair => pair.Value.Entry.NextDue <= now && !(pair.Value.ClaimedUntil >= now))
                .OrderBy(pair => pair.Value.Entry.NextDue).Take(limit).ToList();
            foreach (var (key, row) in due)
            {
                _rows[key] = row with { ClaimedBy = silo, ClaimedUntil = leaseUntil };
            }

            IReadOnlyList<ReminderEntry> claimed = [.. due.Select(pair => pair.Value.Entry)];
            return Task.FromResult(claimed);
        }
    }

    public Task<DateTimeOffset?> NextDueAfterAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.Values.Select(r => r.Entry.NextDue).Where(due => due > time).Min());
        }
    }

    public Task<IReadOnlyList<bool>> AcknowledgeAsync(IReadOnlyList<ReminderAcknowledgement> acknowledgements, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(acknowledgements);
        lock (_lock)
        {
            IReadOnlyList<bool> results = [.. acknowledgements.Select(Acknowledge)];
            return Task.FromResult(results);
        }
    }

    public Task<IReadOnlyList<bool>> ReleaseAsync(IReadOnlyList<ReminderRelease> releases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(releases);
        lock (_lock)
        {
            IReadOnlyList<bool> results = [.. releases.Select(release =>
            {
                var key = (release.Entry.Grain, release.Entry.Name);
                if (!_rows.TryGetValue(key, out var row) || row.ClaimedBy != release.Silo)
                {
                    return false;
                }

                _rows[key] = row with { ClaimedBy = null, ClaimedUntil = release.ClaimableFrom };
                return true;
            })];
            return Task.FromResult(results);
        }
    }

    public Task<int> ReleaseAllAsync(string silo, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var held = _rows.Where(pair => pair.Value.ClaimedBy == silo).ToList();
            foreach (var (key, row) in held)
            {
                _rows[key] = row with { ClaimedBy = null, ClaimedUntil = null };
            }

            return Task.FromResult(held.Count);
        }
    }

    private bool Acknowledge(ReminderAcknowledgement acknowledgement)
    {
        var (entry, silo, due, nextDue, release) = acknowledgement;
        var key = (entry.Grain, entry.Name);
        if (!_rows.TryGetValue(key, out var row) || row.ClaimedBy != silo)
        {
            return false;
        }

        if (row.Entry.Etag != entry.Etag)
        {
            var acknowledged = row.Entry.LastAcknowledgedDue is { } last && last > due ? last : due;
            _rows[key] = new Row(row.Entry with { LastAcknowledgedDue = acknowledged }, null, null);
            return false;
        }

        if (nextDue is null)
        {
            _rows.Remove(key);
        }
        else
        {
            _rows[key] = new Row(
                row.Entry with { LastAcknowledgedDue = due, NextDue = nextDue },
                release ? null : row.ClaimedBy,
                release ? null : row.ClaimedUntil);
        }

        return true;
    }

    private sealed record Row(ReminderEntry Entry, string? ClaimedBy, DateTimeOffset? ClaimedUntil);
}
