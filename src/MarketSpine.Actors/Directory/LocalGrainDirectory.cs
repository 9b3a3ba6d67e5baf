using System.Collections.Concurrent;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Directory;

/// <summary>The directory of a single-node silo, in memory.</summary>
public sealed class LocalGrainDirectory : IGrainDirectory
{
    private readonly ConcurrentDictionary<GrainId, GrainAddress> _entries = new();

    public ValueTask<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        return ValueTask.FromResult(_entries.GetOrAdd(address.Grain, address));
    }

    public ValueTask<GrainAddress?> LookupAsync(GrainId grain, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_entries.GetValueOrDefault(grain));

    public ValueTask UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        _entries.TryRemove(KeyValuePair.Create(address.Grain, address));
        return ValueTask.CompletedTask;
    }
}
