using System.Collections.Concurrent;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// Cancellation for calls waiting on another process, without a timer per call: every call whose
/// deadline falls in the same slot of one check interval shares one token, and the owner's periodic
/// sweep (<see cref="Sweep"/>, every interval) cancels the slots that have ended, as Orleans checks
/// its pending calls' deadlines on a timer. A token is cancelled after its deadline, never before,
/// and within two intervals: its slot ends within one interval of the deadline and is swept within
/// one interval of its end. A <see cref="CancellationTokenSource"/> with a delay per call cost a
/// timer-queue insert and removal, under the queue's lock, on every remote call.
/// </summary>
internal sealed class CallDeadlines(TimeProvider time, TimeSpan interval)
{
    // Deadlines this far out are "never" (SiloRuntime.ToTimestampTicks gives long.MaxValue / 2 for an infinite timeout).
    private const long Never = long.MaxValue / 4;

    private static readonly CancellationToken Cancelled = new(canceled: true);

    private readonly long _slotLength = Math.Max(1, (long)(interval.TotalSeconds * time.TimestampFrequency));
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _slots = new();

    /// <summary>A token cancelled once <paramref name="timeout"/> from now has passed; never for an infinite one.</summary>
    public CancellationToken TokenAfter(TimeSpan timeout)
    {
        var ticks = timeout.TotalSeconds * time.TimestampFrequency;
        return timeout == Timeout.InfiniteTimeSpan || ticks >= Never ? CancellationToken.None : TokenFor(time.GetTimestamp() + (long)ticks);
    }

    /// <summary>A token cancelled once <paramref name="deadline"/> (a <see cref="TimeProvider.GetTimestamp"/> value) has passed.</summary>
    public CancellationToken TokenFor(long deadline)
    {
        if (deadline >= Never)
        {
            return CancellationToken.None;
        }

        // The slot ends at its first timestamp past the deadline.
        var slot = (deadline / _slotLength) + 1;
        var end = slot * _slotLength;
        if (end <= time.GetTimestamp())
        {
            return Cancelled;
        }

        var token = _slots.GetOrAdd(slot, static _ => new CancellationTokenSource()).Token;

        // A sweep between the check above and the add may have passed this slot by: the source added
        // then waits for the next sweep, so a call that is overdue already is told at once instead.
        return end <= time.GetTimestamp() ? Cancelled : token;
    }

    /// <summary>Cancels every slot that has ended.</summary>
    public void Sweep()
    {
        var now = time.GetTimestamp();
        foreach (var slot in _slots.Keys)
        {
            // Cancelled, not disposed: a caller that took the token a moment ago may still register on
            // it, and a source without a timer holds nothing that needs releasing.
            if (slot * _slotLength <= now && _slots.TryRemove(slot, out var source))
            {
                // Off the sweep's thread: the callbacks are callers' (a database driver's among them),
                // and one that throws must neither end the timer's callback nor hold up the other slots.
                _ = source.CancelAsync();
            }
        }
    }
}
