using System.Collections.Concurrent;
using MarketSpine.Actors.Directory;

namespace MarketSpine.Actors.Client;

/// <summary>
/// The client's memory of which silo last ran each grain's calls, so the next call goes to that silo
/// as its gateway and skips the hop from a random gateway to the grain's silo (half the calls with two
/// silos, two thirds with three). Only a preference: the silo still routes the call as any gateway
/// does, so an entry that went stale (the grain moved, the silo left) costs one hop, and the answer
/// corrects it. A grain is named by the interface that declares the method and its key, the two
/// things a client knows and a gateway routes by. Past its capacity the cache starts over, as the
/// silo's <see cref="DirectoryCache"/> does.
/// </summary>
internal sealed class GrainLocations(int capacity)
{
    private readonly ConcurrentDictionary<(Type Interface, string Key), SiloAddress> _entries = new();
    private int _count;

    public SiloAddress? Find(Type grainInterface, string key) => _entries.GetValueOrDefault((grainInterface, key));

    public void Put(Type grainInterface, string key, SiloAddress silo)
    {
        var grain = (grainInterface, key);
        if (_entries.TryGetValue(grain, out var known))
        {
            if (known != silo)
            {
                _entries[grain] = silo;
            }

            return;
        }

        if (Volatile.Read(ref _count) >= capacity)
        {
            _entries.Clear();
            Volatile.Write(ref _count, 0);
        }

        if (_entries.TryAdd(grain, silo))
        {
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Forgets the grain's silo if it is still <paramref name="silo"/>: a call through it failed.</summary>
    public void Forget(Type grainInterface, string key, SiloAddress silo)
    {
        if (_entries.TryRemove(KeyValuePair.Create((grainInterface, key), silo)))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
