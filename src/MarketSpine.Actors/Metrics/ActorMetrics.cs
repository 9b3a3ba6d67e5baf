using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MarketSpine.Actors.Runtime;

namespace MarketSpine.Actors.Metrics;

/// <summary>
/// The silo's instruments on the <c>MarketSpine.Actors</c> meter (tagged with the silo's name), and
/// the totals behind <c>GetStatistics()</c>. Instrument names follow OpenTelemetry's conventions.
/// Recording checks <see cref="Instrument.Enabled"/> first, so with no listener a call pays only
/// for the totals.
/// </summary>
internal sealed class ActorMetrics : IDisposable
{
    public const string MeterName = "MarketSpine.Actors";

    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _reminderTicks;
    private readonly Histogram<double> _reminderLateness;
    private readonly Counter<long> _directoryLookups;
    private readonly ConcurrentDictionary<string, long> _errorCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _activations = new(StringComparer.Ordinal);
    private long _ticksDelivered;
    private long _ticksFailed;
    private long _ticksDropped;
    private long _latenessTotalTicks;
    private long _latenessMaxTicks;
    private long _directoryHits;
    private long _directoryMisses;

    public ActorMetrics(string siloName)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Tags = [new("silo", siloName)] });
        _calls = _meter.CreateCounter<long>("marketspine.actors.calls", "{call}", "Grain calls answered, by grain type, method and outcome (ok, error, timeout).");
        _callDuration = _meter.CreateHistogram<double>("marketspine.actors.call.duration", "ms", "Time from sending a grain call to its answer.");
        _errors = _meter.CreateCounter<long>("marketspine.actors.errors", "{error}", "Runtime errors by kind (deadlock, activation_failed, inconsistent_state, reminder_failed, ...).");
        _reminderTicks = _meter.CreateCounter<long>("marketspine.actors.reminder.ticks", "{tick}", "Reminder ticks by grain type and outcome (delivered, failed, dropped).");
        _reminderLateness = _meter.CreateHistogram<double>("marketspine.actors.reminder.lateness", "ms", "Time from a reminder tick's due time to its delivery.");
        _directoryLookups = _meter.CreateCounter<long>("marketspine.actors.directory.lookups", "{lookup}", "Locating grains not active in this silo, by result: hit (the silo's cache) or miss (the cluster's directory).");
        _meter.CreateObservableGauge("marketspine.actors.activations", ObserveActivations, "{activation}", "Live activations by grain type.");
    }

    public void RecordCall(GrainMethod method, string outcome, TimeSpan elapsed)
    {
        method.Statistics.Record(outcome, elapsed);
        if (_calls.Enabled)
        {
            var tags = method.Tags;
            tags.Add("outcome", outcome);
            _calls.Add(1, tags);
        }

        if (_callDuration.Enabled)
        {
            _callDuration.Record(elapsed.TotalMilliseconds, method.Tags);
        }
    }

    public void RecordError(string kind)
    {
        _errorCounts.AddOrUpdate(kind, 1, static (_, count) => count + 1);
        _errors.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }

    public void RecordDirectoryLookup(bool hit)
    {
        Interlocked.Increment(ref hit ? ref _directoryHits : ref _directoryMisses);
        if (_directoryLookups.Enabled)
        {
            _directoryLookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
        }
    }

    public void ActivationCreated(GrainClass grainClass) => _activations.AddOrUpdate(grainClass.TypeName, 1, static (_, count) => count + 1);

    public void ActivationRemoved(GrainClass grainClass) => _activations.AddOrUpdate(grainClass.TypeName, 0, static (_, count) => count - 1);

    public void RecordReminderTick(string grainType, string outcome, TimeSpan lateness)
    {
        if (outcome == "delivered")
        {
            Interlocked.Increment(ref _ticksDelivered);
        }
        else if (outcome == "failed")
        {
            Interlocked.Increment(ref _ticksFailed);
        }
        else
        {
            Interlocked.Increment(ref _ticksDropped);
        }

        _reminderTicks.Add(1, new TagList { { "grain.type", grainType }, { "outcome", outcome } });
        if (outcome == "dropped")
        {
            return;
        }

        Interlocked.Add(ref _latenessTotalTicks, lateness.Ticks);
        InterlockedMax(ref _latenessMaxTicks, lateness.Ticks);
        _reminderLateness.Record(lateness.TotalMilliseconds, new KeyValuePair<string, object?>("grain.type", grainType));
    }

    public SiloStatistics Snapshot(string silo, DateTimeOffset now, IEnumerable<GrainClass> classes)
    {
        var byType = _activations.Where(pair => pair.Value > 0).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        var calls = classes.SelectMany(c => c.Methods.Values).Select(m => m.Statistics.Snapshot()).Where(s => s.Calls > 0)
            .OrderBy(s => s.GrainType, StringComparer.Ordinal).ThenBy(s => s.Method, StringComparer.Ordinal).ToList();
        var delivered = Volatile.Read(ref _ticksDelivered);
        var failed = Volatile.Read(ref _ticksFailed);
        var handled = delivered + failed;
        var reminders = new ReminderStatistics(
            delivered, failed, Volatile.Read(ref _ticksDropped),
            handled == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Volatile.Read(ref _latenessTotalTicks) / handled),
            TimeSpan.FromTicks(Volatile.Read(ref _latenessMaxTicks)));
        return new SiloStatistics(silo, now, byType.Values.Sum(), byType, calls, reminders,
            _errorCounts.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
            new DirectoryStatistics(Volatile.Read(ref _directoryHits), Volatile.Read(ref _directoryMisses)));
    }

    public void Dispose() => _meter.Dispose();

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private IEnumerable<Measurement<int>> ObserveActivations() =>
        _activations.Select(pair => new Measurement<int>(pair.Value, new KeyValuePair<string, object?>("grain.type", pair.Key)));
}
