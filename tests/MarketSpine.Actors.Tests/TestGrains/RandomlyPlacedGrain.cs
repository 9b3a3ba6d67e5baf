using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Placement;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.TestGrains;

public interface IRandomlyPlacedGrain : IGrainWithStringKey
{
    Task<string> Where();
}

[RandomPlacement]
public sealed class RandomlyPlacedGrain(SiloTag silo) : Grain, IRandomlyPlacedGrain
{
    public Task<string> Where() => Task.FromResult(silo.Name);
}
