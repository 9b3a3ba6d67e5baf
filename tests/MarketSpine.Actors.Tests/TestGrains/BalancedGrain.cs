using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Placement;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.TestGrains;

public interface IBalancedGrain : IGrainWithStringKey
{
    Task<string> Where();
}

[LeastActivationsPlacement]
public sealed class BalancedGrain(SiloTag silo) : Grain, IBalancedGrain
{
    public Task<string> Where() => Task.FromResult(silo.Name);
}
