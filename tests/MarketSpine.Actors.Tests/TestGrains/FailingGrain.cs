using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.TestGrains;

public interface IFailingGrain : IGrainWithStringKey
{
    Task<string> Hello();
}

/// <summary>Fails its first activation (per key), then works.</summary>
public sealed class FailingGrain(Probe probe) : Grain, IFailingGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Record($"activating:{GrainKey}");
        return probe.Count($"activating:{GrainKey}") == 1
            ? throw new InvalidOperationException("first activation fails")
            : Task.CompletedTask;
    }

    public Task<string> Hello() => Task.FromResult("hello");
}
