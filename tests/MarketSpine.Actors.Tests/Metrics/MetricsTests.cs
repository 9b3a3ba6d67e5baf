using System.Diagnostics.Metrics;
using MarketSpine.Actors.Metrics;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;

namespace MarketSpine.Actors.Tests.Metrics;

public sealed class MetricsTests
{
    [Fact]
    public async Task Calls_latency_activations_and_errors_are_published_on_the_runtime_meter()
    {
        await using var silo = await TestSilo.StartAsync(name: $"metrics-{Guid.NewGuid():N}");
        var siloTag = silo.Silo.Address.ToString();
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "MarketSpine.Actors" && instrument.Meter.Tags?.Any(t => t.Key == "silo" && Equals(t.Value, siloTag)) == true)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        }

        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<double>(Record);
        listener.SetMeasurementEventCallback<int>(Record);
        listener.Start();

        var grain = silo.Grains.GetGrain<ICounterGrain>("m");
        await grain.Increment();
        await grain.Increment();
        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Fail("x"));
        listener.RecordObservableInstruments();

        lock (measurements)
        {
            var calls = measurements.Where(m => m.Instrument == "marketspine.actors.calls").ToList();
            Assert.Equal(2, calls.Count(m => Equals(m.Tags["grain.method"], "Increment") && Equals(m.Tags["outcome"], "ok") && Equals(m.Tags["grain.type"], "CounterGrain")));
            Assert.Single(calls, m => Equals(m.Tags["grain.method"], "Fail") && Equals(m.Tags["outcome"], "error"));
            Assert.Equal(3, measurements.Count(m => m.Instrument == "marketspine.actors.call.duration"));
            Assert.All(measurements.Where(m => m.Instrument == "marketspine.actors.call.duration"), m => Assert.Equal(0, m.Value));
            Assert.Single(measurements, m => m.Instrument == "marketspine.actors.activations" && Equals(m.Tags["grain.type"], "CounterGrain") && m.Value == 1);
        }
    }

    [Fact]
    public async Task Statistics_summarize_calls_per_method_and_activations_per_type()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grains.GetGrain<ICounterGrain>("a").Increment();
        await silo.Grains.GetGrain<ICounterGrain>("b").Increment();
        await silo.Grains.GetGrain<ICounterGrain>("b").Add(2);
        await silo.Grains.GetGrain<IChainGrain>("c").Leaf();

        var statistics = silo.Silo.GetStatistics();

        Assert.Equal(("test@" + TestSilo.Start.ToUnixTimeMilliseconds(), TestSilo.Start, 3), (statistics.Silo, statistics.TakenAt, statistics.Activations));
        Assert.Equal(new Dictionary<string, int> { ["ChainGrain"] = 1, ["CounterGrain"] = 2 }, statistics.ActivationsByGrainType);
        Assert.Equal(
            [
                new MethodCallStatistics("ChainGrain", "Leaf", 1, 0, 0, TimeSpan.Zero, TimeSpan.Zero),
                new MethodCallStatistics("CounterGrain", "Add", 1, 0, 0, TimeSpan.Zero, TimeSpan.Zero),
                new MethodCallStatistics("CounterGrain", "Increment", 2, 0, 0, TimeSpan.Zero, TimeSpan.Zero),
            ],
            statistics.Calls);
        Assert.Empty(statistics.ErrorsByKind);
    }
}
