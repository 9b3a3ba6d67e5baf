using MarketSpine.Actors.Batching;
using System.Collections.Concurrent;
using System.Threading.Channels;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// The silo's reminder loop. It claims due reminders when the next one falls due: after each claim it
/// asks the table for the next due time and sets a timer for it (no sooner than
/// <see cref="MinimumSpacing"/> after its previous claim, so that under load each claim takes a
/// batch); it also claims every <see cref="Hosting.ReminderOptions.PollInterval"/>, and at once after
/// a registration. Each claimed reminder is delivered on its own, concurrently with the others and
/// with the next claims: <see cref="TickPlanner"/> plans its ticks, which go in order to the grain
/// through <see cref="IRemindable.ReceiveReminder"/> (activating it), each acknowledged before the
/// next; acknowledgements made at the same moment share one statement. A tick thus comes within the
/// spacing, a claim and a call of its due time, whatever the poll interval.
/// <list type="bullet">
/// <item>A grain that throws or times out still has its tick acknowledged (logged and counted as
/// failed), as in Orleans: a retry loop on a failing grain would pin the silo.</item>
/// <item>A grain that cannot be reached (<see cref="SiloUnavailableException"/>: its silo is gone but
/// not declared dead yet, or this silo is stopping) did not get the tick: the reminder is released, to
/// be claimed again by any silo a poll interval later, when a dead silo has been declared so or soon
/// is, and the grain activates elsewhere.</item>
/// <item>When a silo leaves the membership (declared dead, or gone cleanly) its claims are released at
/// once, so the ticks it held wait for the failure detection, not for the claim lease.</item>
/// </list>
/// </summary>
public sealed class ReminderService : IAsyncDisposable
{
    private const int MaxBatchesPerPass = 16;

    private const int MaxWriteBatch = 1_000;

    /// <summary>
    /// The least time between the start of a claim and a claim for a due time learnt from the table:
    /// with ticks due every few milliseconds the loop claims a batch every 50 ms rather than a row at
    /// a time, at the cost of at most 50 ms of lateness.
    /// </summary>
    private static readonly TimeSpan MinimumSpacing = TimeSpan.FromMilliseconds(50);

    private readonly SiloRuntime _runtime;
    private readonly IReminderTable _table;
    private readonly ILogger _logger;
    private readonly string _silo;
    private readonly SemaphoreSlim _claiming = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _wakeLock = new();
    private readonly ITimer _wakeTimer;
    private readonly ConcurrentDictionary<Task<int>, byte> _work = new();
    // A reminder is written by one delivery at a time, which awaits each write, so a batch never
    // holds two writes of one reminder.
    private readonly GroupCommit<ReminderAcknowledgement, bool> _acknowledgements;
    private readonly GroupCommit<ReminderRelease, bool> _releases;
    private readonly CancellationTokenSource _stopping = new();
    private DateTimeOffset _wakeAt = DateTimeOffset.MaxValue;
    private ITimer? _poll;
    private Task? _loop;

    internal ReminderService(SiloRuntime runtime, IReminderTable table)
    {
        _runtime = runtime;
        _table = table;
        _silo = runtime.Address.ToString();
        _logger = runtime.LoggerFactory.CreateLogger<ReminderService>();
        _acknowledgements = new GroupCommit<ReminderAcknowledgement, bool>(table.AcknowledgeAsync, MaxWriteBatch);
        _releases = new GroupCommit<ReminderRelease, bool>(table.ReleaseAsync, MaxWriteBatch);
        using (ExecutionContext.SuppressFlow())
        {
            _wakeTimer = runtime.Time.CreateTimer(static state => ((ReminderService)state!).OnWakeTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Registers or replaces <paramref name="name"/> for <paramref name="grain"/>; its next due time is the schedule's first at or after now.</summary>
    public async Task<GrainReminder> RegisterOrUpdateAsync(GrainId grain, string name, ReminderSchedule schedule, MissedTickPolicy? policy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(schedule);
        var grainClass = _runtime.Registry.FindByTypeName(grain.Type)
                         ?? throw new ArgumentException($"No grain class has the type name '{grain.Type}'.", nameof(grain));
        if (!typeof(IRemindable).IsAssignableFrom(grainClass.ClassType))
        {
            throw new InvalidOperationException($"{grainClass.ClassType} registers reminders but does not implement {nameof(IRemindable)}.");
        }

        var now = _runtime.Time.GetUtcNow();
        var next = schedule is OneShotSchedule once ? once.DueAt : schedule.NextAtOrAfter(ReminderSchedule.Truncate(now));
        var entry = new ReminderEntry(grain, name, schedule, policy ?? MissedTickPolicy.FireOnce, next, null, State.ETags.New());
        await _table.UpsertAsync(entry, now, cancellationToken);
        _logger.ReminderRegistered(grain, name, next);
        _wake.Writer.TryWrite(true);
        return entry.ToReminder();
    }

    public async Task<bool> UnregisterAsync(GrainId grain, string name, CancellationToken cancellationToken) =>
        await _table.RemoveAsync(grain, name, cancellationToken);

    public async Task<GrainReminder?> GetAsync(GrainId grain, string name, CancellationToken cancellationToken) =>
        (await _table.ReadAsync(grain, name, cancellationToken))?.ToReminder();

    public async Task<IReadOnlyList<GrainReminder>> GetAllAsync(GrainId grain, CancellationToken cancellationToken) =>
        [.. (await _table.ReadAllAsync(grain, cancellationToken)).Select(e => e.ToReminder())];

    /// <summary>
    /// One pass now: claims what is due and starts delivering it, then waits for every delivery under
    /// way (the loop's too) to end, acknowledgements included. Returns the number of ticks those
    /// deliveries delivered (including those the grain failed).
    /// </summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        await ClaimAsync(cancellationToken);
        var delivered = await Task.WhenAll(_work.Keys);
        return delivered.Sum();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_runtime.Cluster is { } cluster)
        {
            cluster.Membership.SilosGone -= OnSilosGone;
        }

        _poll?.Dispose();
        if (_loop is not null)
        {
            await _loop;
        }

        // Deliveries under way end on their own (every call has a timeout) and record their ticks,
        // so that no other silo delivers those again.
        await Task.WhenAll(_work.Keys);
        _wakeTimer.Dispose();
        _stopping.Dispose();
        _claiming.Dispose();
    }

    internal void Start()
    {
        using (ExecutionContext.SuppressFlow())
        {
            var interval = _runtime.Options.Reminders.PollInterval;
            _poll = _runtime.Time.CreateTimer(static state => ((Channel<bool>)state!).Writer.TryWrite(true), _wake, interval, interval);
            if (_runtime.Cluster is { } cluster)
            {
                cluster.Membership.SilosGone += OnSilosGone;
            }

            _loop = Task.Run(RunAsync);
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (await _wake.Reader.WaitToReadAsync(stopping))
            {
                _wake.Reader.TryRead(out _);
                try
                {
                    await ClaimAsync(stopping);
                }
                catch (Exception exception) when (!stopping.IsCancellationRequested)
                {
                    _logger.ReminderPassFailed(exception);
                    _runtime.Metrics.RecordError("reminder_pass_failed");
                }
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping: a database call cut short by the cancellation may surface as any exception.
        }
    }

    /// <summary>Claims what is due now and starts delivering it; then sets the timer for the next due time.</summary>
    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        await _claiming.WaitAsync(cancellationToken);
        try
        {
            var options = _runtime.Options.Reminders;
            var startedAt = _runtime.Time.GetUtcNow();
            var now = startedAt;
            var more = false;
            for (var batch = 0; batch < MaxBatchesPerPass; batch++)
            {
                now = _runtime.Time.GetUtcNow();
                var claimed = await _table.ClaimDueAsync(now, _silo, now + options.ClaimLease, options.BatchSize, cancellationToken);
                foreach (var entry in claimed)
                {
                    Run(() => DeliverAsync(entry));
                }

                more = claimed.Count == options.BatchSize;
                if (!more)
                {
                    break;
                }
            }

            // Left over, or due after the last claim's "now" (not after this moment: a row falling due
            // in between must wake the loop too).
            var next = more ? now : await _table.NextDueAfterAsync(now, cancellationToken);
            if (next is { } due)
            {
                WakeAt(Later(due, startedAt + MinimumSpacing));
            }
        }
        finally
        {
            _claiming.Release();
        }
    }

    /// <summary>Makes the loop claim at <paramref name="time"/>, unless it is to claim sooner already.</summary>
    private void WakeAt(DateTimeOffset time)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        lock (_wakeLock)
        {
            if (time >= _wakeAt)
            {
                return;
            }

            var delay = time - _runtime.Time.GetUtcNow();
            if (delay > TimeSpan.Zero)
            {
                _wakeAt = time;

                // Rounded up: timers count whole milliseconds, and one firing early would find nothing due.
                _wakeTimer.Change(TimeSpan.FromMilliseconds(Math.Ceiling(delay.TotalMilliseconds)), Timeout.InfiniteTimeSpan);

                // A clock that passed the time meanwhile (a test's manual clock, advanced by another
                // thread) would only fire the timer on its next move: wake now instead.
                if (_runtime.Time.GetUtcNow() < time)
                {
                    return;
                }
            }

            _wakeAt = DateTimeOffset.MaxValue;
        }

        _wake.Writer.TryWrite(true);
    }

    private void OnWakeTimer()
    {
        lock (_wakeLock)
        {
            _wakeAt = DateTimeOffset.MaxValue;
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>Runs <paramref name="work"/> off the caller's context, and keeps it until it ends for <see cref="ProcessDueAsync"/> and <see cref="DisposeAsync"/>.</summary>
    private void Run(Func<Task<int>> work)
    {
        Task<int> task;
        using (ExecutionContext.SuppressFlow())
        {
            task = Task.Run(work);
        }

        _work.TryAdd(task, 0);
        _ = task.ContinueWith(
            static (done, state) => ((ConcurrentDictionary<Task<int>, byte>)state!).TryRemove(done, out _),
            _work, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Delivers a claimed reminder's due ticks; returns how many it delivered. Never throws.</summary>
    private async Task<int> DeliverAsync(ReminderEntry entry)
    {
        try
        {
            return await DeliverTicksAsync(entry);
        }
        catch (Exception exception)
        {
            // Only the table's writes get here (grain failures are handled below).
            _logger.ReminderWriteFailed(exception, entry.Grain, entry.Name);
            _runtime.Metrics.RecordError("reminder_write_failed");
            return 0;
        }
    }

    private async Task<int> DeliverTicksAsync(ReminderEntry entry)
    {
        var grainClass = _runtime.Registry.FindByTypeName(entry.Grain.Type);
        if (grainClass is null || !typeof(IRemindable).IsAssignableFrom(grainClass.ClassType))
        {
            // Another silo (say, a newer version in a rolling deploy) may know the class: leave the
            // row claimed until the lease ends rather than acknowledging a tick nobody received.
            _logger.ReminderForUnknownGrain(entry.Grain, entry.Name);
            _runtime.Metrics.RecordError("reminder_unknown_grain");
            return 0;
        }

        var plan = TickPlanner.Plan(entry, _runtime.Time.GetUtcNow());
        for (var i = 0; i < plan.Dropped; i++)
        {
            _runtime.Metrics.RecordReminderTick(entry.Grain.Type, "dropped", TimeSpan.Zero);
        }

        if (plan.Dropped > 0)
        {
            _logger.ReminderTicksDropped(entry.Grain, entry.Name, plan.Dropped, entry.Policy.Kind);
        }

        if (plan.Deliver.Count == 0)
        {
            // Nothing to deliver (all dropped, or already acknowledged): move the reminder on.
            var handled = plan.LastHandled ?? entry.LastAcknowledgedDue ?? entry.NextDue!.Value;
            await AcknowledgeAsync(new ReminderAcknowledgement(entry, _silo, handled, plan.NextDue, Release: true));
            return 0;
        }

        var grain = _runtime.GrainFactory.GetGrain<IRemindable>(grainClass, entry.Grain.Key);
        var delivered = 0;
        for (var i = 0; i < plan.Deliver.Count; i++)
        {
            var tick = plan.Deliver[i];
            var firedAt = _runtime.Time.GetUtcNow();
            var outcome = "delivered";
            try
            {
                await grain.ReceiveReminder(entry.Name, new TickStatus(tick.Due, firedAt, tick.DroppedBefore));
            }
            catch (SiloUnavailableException exception)
            {
                await RetryLaterAsync(entry, tick.Due, exception);
                return delivered;
            }
            catch (Exception exception)
            {
                outcome = "failed";
                _logger.ReminderTickFailed(exception, entry.Grain, entry.Name, tick.Due);
                _runtime.Metrics.RecordError("reminder_failed");
            }

            delivered++;
            _runtime.Metrics.RecordReminderTick(entry.Grain.Type, outcome, firedAt - tick.Due);
            var last = i == plan.Deliver.Count - 1;
            var next = last ? plan.NextDue : plan.Deliver[i + 1].Due;
            if (!await AcknowledgeAsync(new ReminderAcknowledgement(entry, _silo, tick.Due, next, Release: last)))
            {
                // The grain re-registered or removed the reminder meanwhile; its new schedule rules.
                break;
            }
        }

        return delivered;
    }

    private async Task<bool> AcknowledgeAsync(ReminderAcknowledgement acknowledgement)
    {
        var acknowledged = await _acknowledgements.WriteAsync(acknowledgement);
        if (acknowledged && acknowledgement.Release && acknowledgement.NextDue is { } next)
        {
            // Claimable again, and due at next: the loop may have looked for the next due time
            // before this write, while the row was still claimed.
            WakeAt(next);
        }

        return acknowledged;
    }

    /// <summary>
    /// The grain did not get the tick (see <see cref="SiloUnavailableException"/>): lets any silo claim
    /// the reminder again a poll interval later. Retrying here instead would tie the tick to this
    /// silo, which may be the one stopping, and retrying at once would spin until the unreachable silo
    /// is declared dead.
    /// </summary>
    private async Task RetryLaterAsync(ReminderEntry entry, DateTimeOffset due, SiloUnavailableException exception)
    {
        var retryAt = _runtime.Time.GetUtcNow() + _runtime.Options.Reminders.PollInterval;
        _logger.ReminderTickUndeliverable(entry.Grain, entry.Name, due, exception.Message, retryAt);
        _runtime.Metrics.RecordError("reminder_undeliverable");
        if (await _releases.WriteAsync(new ReminderRelease(entry, _silo, retryAt)))
        {
            // A released claim ends strictly after its time.
            WakeAt(retryAt.AddMilliseconds(1));
        }
    }

    /// <summary>Raised from the membership's heartbeat loop: silos that left the cluster will acknowledge nothing more.</summary>
    private void OnSilosGone(IReadOnlyCollection<SiloAddress> gone) => Run(() => ReleaseClaimsOfAsync(gone));

    private async Task<int> ReleaseClaimsOfAsync(IReadOnlyCollection<SiloAddress> gone)
    {
        var released = 0;
        foreach (var silo in gone.Select(s => s.ToString()))
        {
            try
            {
                var count = await _table.ReleaseAllAsync(silo, CancellationToken.None);
                if (count > 0)
                {
                    _logger.ReminderClaimsReleased(count, silo);
                }

                released += count;
            }
            catch (Exception exception)
            {
                _logger.ReminderClaimsReleaseFailed(exception, silo);
                _runtime.Metrics.RecordError("reminder_release_failed");
            }
        }

        if (released > 0)
        {
            // Those reminders are overdue by now.
            _wake.Writer.TryWrite(true);
        }

        // Work tracked with the deliveries, which count ticks; this delivers none.
        return 0;
    }
}
