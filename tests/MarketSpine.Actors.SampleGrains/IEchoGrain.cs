using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.SampleGrains;

/// <summary>A stateless grain whose calls cost nothing but the runtime's: for call-path benchmarks.</summary>
public interface IEchoGrain : IGrainWithStringKey
{
    Task<int> EchoAsync(int value);
}
