using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Tests.TestGrains;

/// <summary>Calls other grains by key, to build call chains and cycles.</summary>
public interface IChainGrain : IGrainWithStringKey
{
    /// <summary>Calls <c>Relay</c> on each key of the path in turn, ending with <see cref="Leaf"/>.</summary>
    Task<string> Relay(string[] path);

    Task<string> Leaf();

    [AlwaysInterleave]
    Task<string> InterleavingLeaf();

    Task<string> CallInterleavingLeafOf(string key);

    Task<string> FireAndForget(string key);

    /// <summary>Hands a reference to itself to another grain, which calls back through it (with [AlwaysInterleave]).</summary>
    Task<string> IntroduceTo(string key);

    Task<string> CallBack(IChainGrain caller);

    [ResponseTimeout("00:00:02")]
    Task Stall(string gate);
}

public sealed class ChainGrain(Support.Probe probe) : Grain, IChainGrain
{
    public Task<string> IntroduceTo(string key) => GrainFactory.GetGrain<IChainGrain>(key).CallBack(AsReference<IChainGrain>());

    public async Task<string> CallBack(IChainGrain caller) => $"{GrainKey}>" + await caller.InterleavingLeaf();

    public Task Stall(string gate) => probe.Gate(gate);

    public async Task<string> Relay(string[] path)
    {
        if (path.Length == 0)
        {
            return await Leaf();
        }

        var next = GrainFactory.GetGrain<IChainGrain>(path[0]);
        return $"{GrainKey}>" + (path.Length == 1 ? await next.Leaf() : await next.Relay(path[1..]));
    }

    public Task<string> Leaf() => Task.FromResult(GrainKey);

    public Task<string> InterleavingLeaf() => Task.FromResult($"{GrainKey}(interleaved)");

    public async Task<string> CallInterleavingLeafOf(string key) =>
        $"{GrainKey}>" + await GrainFactory.GetGrain<IChainGrain>(key).InterleavingLeaf();

    public Task<string> FireAndForget(string key)
    {
        _ = GrainFactory.GetGrain<IChainGrain>(key).Leaf();
        return Task.FromResult(GrainKey);
    }
}
