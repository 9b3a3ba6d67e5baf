using MarketSpine.Actors.Grains;
using MarketSpine.Core.Execution;

namespace MarketSpine.Grains.LogicalKeys;

/// <summary>
/// One logical key (the grain's key): at most one execution holds it, the others wait first come,
/// first served. The grain's single activation is what makes "one at a time" true cluster-wide.
/// </summary>
public interface ILogicalKeyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Asks for the key for <paramref name="executionId"/>. Idempotent: the holder asking again is
    /// granted, a waiter asking again keeps its place.
    /// </summary>
    Task<KeyAcquisition> AcquireAsync(string executionId, KeyPolicy policy);

    /// <summary>
    /// Gives the key up (the holder), or leaves the queue (a waiter); the next waiter becomes the
    /// holder and is told so. Releasing a key one does not hold or wait for does nothing.
    /// </summary>
    Task ReleaseAsync(string executionId);

    /// <summary>Who holds the key and who waits for it.</summary>
    [ReadOnly]
    Task<LogicalKeyView> GetAsync();
}
