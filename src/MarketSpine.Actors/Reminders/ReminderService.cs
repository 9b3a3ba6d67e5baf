using System.Threading.Channels;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// The silo's reminder loop. Every <see cref="Hosting.ReminderOptions.PollInterval"/> (a periodic
/// <see cref="TimeProvider"/> timer, and at once after a registration) it claims due reminders,
/// plans their ticks with <see cref="TickPlanner"/>, delivers each tick to its grain through
/// <see cref="IRemindable.ReceiveReminder"/> (activating it), and acknowledges each tick before the
/// next. A tick is delivered within one poll interval of its due time. A grain that throws or times
/// out still has its tick acknowledged (logged and counted as failed), as in Orleans: a retry loop
/// on a failing grain would pin the silo.
/// </summary>
public sealed class ReminderService : IAsyncDisposable
{
    private const int MaxBatchesPerPass = 16;

    private readonly SiloRuntime _runtime;
    private readonly IReminderTable _table;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _poll;
    private Task? _loop;

    internal ReminderService(SiloRuntime runtime, IReminderTable table)
    {
        _runtime = runtime;
        _table = table;
        _logger = runtime.LoggerFactory.CreateLogger<ReminderService>();
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
    /// One pass: claims what is due now and delivers it; returns the number of ticks delivered
    /// (including those the grain failed). Passes never overlap; the loop and callers share them.
    /// </summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var delivered = 0;
            var options = _runtime.Options.Reminders;
            for (var batch = 0; batch < MaxBatchesPerPass; batch++)
            {
                var now = _runtime.Time.GetUtcNow();
                var claimed = await _table.ClaimDueAsync(now, _runtime.Address.ToString(), now + options.ClaimLease, options.BatchSize, cancellationToken);
                var counts = await Task.WhenAll(claimed.Select(entry => DeliverAsync(entry, now, cancellationToken)));
                delivered += counts.Sum();
                if (claimed.Count < options.BatchSize)
                {
                    break;
                }
            }

            return delivered;
        }
        finally
        {
            _pass.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _poll?.Dispose();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
        _pass.Dispose();
    }

    internal void Start()
    {
        using (ExecutionContext.SuppressFlow())
        {
            var interval = _runtime.Options.Reminders.PollInterval;
            _poll = _runtime.Time.CreateTimer(static state => ((Channel<bool>)state!).Writer.TryWrite(true), _wake, interval, interval);
            _loop = Task.Run(RunAsync);
        }
    }

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
                    await ProcessDueAsync(stopping);
                }
                catch (Exception exception) when (!stopping.IsCancellationRequested)
                {
                    _logger.ReminderPassFailed(exception);
                    _runtime.Metrics.RecordError("reminder_pass_failed");
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<int> DeliverAsync(ReminderEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
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

        var plan = TickPlanner.Plan(entry, now);
        for (var i = 0; i < plan.Dropped; i++)
        {
            _runtime.Metrics.RecordReminderTick(entry.Grain.Type, "dropped", TimeSpan.Zero);
        }

        if (plan.Dropped > 0)
        {
            _logger.ReminderTicksDropped(entry.Grain, entry.Name, plan.Dropped, entry.Policy.Kind);
        }

        var silo = _runtime.Address.ToString();
        if (plan.Deliver.Count == 0)
        {
            // Nothing to deliver (all dropped, or already acknowledged): move the reminder on.
            var handled = plan.LastHandled ?? entry.LastAcknowledgedDue ?? entry.NextDue!.Value;
            await _table.AcknowledgeAsync(new ReminderAcknowledgement(entry, silo, handled, plan.NextDue, Release: true), cancellationToken);
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
            if (!await _table.AcknowledgeAsync(new ReminderAcknowledgement(entry, silo, tick.Due, next, Release: last), cancellationToken))
            {
                // The grain re-registered or removed the reminder meanwhile; its new schedule rules.
                break;
            }
        }

        return delivered;
    }
}
