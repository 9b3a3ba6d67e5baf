using System.Collections.Concurrent;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// Every reminder tick the grains of a <see cref="TestCluster"/> received, in the order they received
/// them (a singleton shared by every silo, like <see cref="Probe"/>). Each entry is stamped with the
/// real clock when the grain ran, not with the silo's clock: a killed silo's clock is frozen, and a
/// tick's lateness is what the grain experienced.
/// </summary>
public sealed class TickLog
{
    private readonly ConcurrentQueue<DeliveredTick> _ticks = new();

    public int Count => _ticks.Count;

    public void Record(string grainKey, string reminderName, DateTimeOffset due, string silo) =>
        _ticks.Enqueue(new DeliveredTick(grainKey, reminderName, due, TimeProvider.System.GetUtcNow(), silo));

    public IReadOnlyList<DeliveredTick> Snapshot() => [.. _ticks];
}
