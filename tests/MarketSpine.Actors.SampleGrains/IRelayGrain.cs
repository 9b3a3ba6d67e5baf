using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.SampleGrains;

/// <summary>
/// A grain that calls another grain, so a benchmark can measure silo-to-silo calls: the caller
/// decides where the relay and its target live, and the relay calls from inside a silo.
/// </summary>
public interface IRelayGrain : IGrainWithStringKey
{
    /// <summary>
    /// Calls the <see cref="IEchoGrain"/> <paramref name="targetKey"/> from <paramref name="concurrency"/>
    /// loops for <paramref name="duration"/>, each loop making at least one call; returns the calls
    /// answered. A zero duration makes one call per loop, which activates the target here when it
    /// has no activation yet (echo grains are placed on the silo that calls them first).
    /// </summary>
    // Runs for as long as the caller asks, longer than the default 30 s timeout allows.
    [ResponseTimeout("00:10:00")]
    Task<long> RelayAsync(string targetKey, TimeSpan duration, int concurrency);

    /// <summary>The silo the relay is active on (<c>name@generation</c>).</summary>
    Task<string> WhereAsync();
}
