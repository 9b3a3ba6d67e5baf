using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.SampleGrains;

[GrainType("sample.echo")]
public sealed class EchoGrain : Grain, IEchoGrain
{
    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}
