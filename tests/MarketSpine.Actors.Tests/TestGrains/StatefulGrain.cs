using MarketSpine.Actors.Grains;
using MarketSpine.Actors.State;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.TestGrains;

public sealed class Tally
{
    public int Count { get; set; }

    public List<string> Notes { get; set; } = [];
}

public interface IStatefulGrain : IGrainWithStringKey
{
    Task<int> Add(int amount, string note);

    Task<Tally> Read();

    Task<string?> Etag();

    Task Clear();
}

[GrainType("stateful")]
public sealed class StatefulGrain([PersistentState("tally")] IPersistentState<Tally> tally, Probe probe) : Grain, IStatefulGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Record($"activate:{GrainKey}:{tally.State.Count}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{GrainKey}:{reason}");
        return Task.CompletedTask;
    }

    public async Task<int> Add(int amount, string note)
    {
        tally.State.Count += amount;
        tally.State.Notes.Add(note);
        await tally.WriteStateAsync();
        return tally.State.Count;
    }

    public Task<Tally> Read() => Task.FromResult(tally.State);

    public Task<string?> Etag() => Task.FromResult(tally.Etag);

    public Task Clear() => tally.ClearStateAsync();
}
