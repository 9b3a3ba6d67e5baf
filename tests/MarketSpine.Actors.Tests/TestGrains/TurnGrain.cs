using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.TestGrains;

/// <summary>Methods that hold a turn open on a probe gate, to observe what may run beside them.</summary>
public interface ITurnGrain : IGrainWithStringKey
{
    Task Hold(string gate);

    [ReadOnly]
    Task ReadHold(string gate);

    [ReadOnly]
    Task<int> ReadRunning();

    Task<int> Running();

    [AlwaysInterleave]
    Task<int> Peek();

    /// <summary>A long poll: waits on the gate without holding the grain's ordinary requests back.</summary>
    [AlwaysInterleave]
    Task WaitInterleaved(string gate);

    Task<int> SumOnThreadCheck(int rounds);
}

public sealed class TurnGrain(Probe probe) : Grain, ITurnGrain
{
    private int _running;
    private int _inside;

    public async Task Hold(string gate)
    {
        _running++;
        probe.Record($"{GrainKey}:entered:{gate}");
        await probe.Gate(gate);
        _running--;
    }

    public async Task ReadHold(string gate)
    {
        _running++;
        probe.Record($"{GrainKey}:entered:{gate}");
        await probe.Gate(gate);
        _running--;
    }

    public Task<int> ReadRunning() => Task.FromResult(_running);

    public Task<int> Running() => Task.FromResult(_running);

    public Task<int> Peek() => Task.FromResult(_running);

    public async Task WaitInterleaved(string gate)
    {
        probe.Record($"{GrainKey}:waiting:{gate}");
        await probe.Gate(gate);
    }

    /// <summary>Counts how often two turns ran at once: must stay 0 even when requests interleave.</summary>
    public async Task<int> SumOnThreadCheck(int rounds)
    {
        var overlaps = 0;
        for (var i = 0; i < rounds; i++)
        {
            if (Interlocked.Increment(ref _inside) != 1)
            {
                overlaps++;
            }

            Thread.SpinWait(50);
            Interlocked.Decrement(ref _inside);
            await Task.Yield();
        }

        return overlaps;
    }
}

public interface IReentrantTurnGrain : IGrainWithStringKey
{
    Task Hold(string gate);

    Task<int> Running();

    Task<int> SumOnThreadCheck(int rounds);
}

[Reentrant]
public sealed class ReentrantTurnGrain(Probe probe) : Grain, IReentrantTurnGrain
{
    private int _running;
    private int _inside;

    public async Task Hold(string gate)
    {
        _running++;
        probe.Record($"{GrainKey}:entered:{gate}");
        await probe.Gate(gate);
        _running--;
    }

    public Task<int> Running() => Task.FromResult(_running);

    public async Task<int> SumOnThreadCheck(int rounds)
    {
        var overlaps = 0;
        for (var i = 0; i < rounds; i++)
        {
            if (Interlocked.Increment(ref _inside) != 1)
            {
                overlaps++;
            }

            Thread.SpinWait(50);
            Interlocked.Decrement(ref _inside);
            await Task.Yield();
        }

        return overlaps;
    }
}
