using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Directory;

/// <summary>
/// A silo's memory of where grains on other silos live, so a call to a known remote grain needs no
/// directory read. Entries are corrected rather than expired: an answer names the activation that
/// ran the call, a silo that left the membership takes its entries with it, and a send that fails
/// removes the entry before the directory is asked again. Past its capacity the cache starts over,
/// which costs one directory read per grain in use instead of bookkeeping on every hit. The size is
/// counted on the side: <see cref="ConcurrentDictionary{TKey,TValue}.Count"/> takes every lock of the
/// dictionary, and a put follows every remote call.
/// </summary>
internal sealed class DirectoryCache(int capacity)
{
    private readonly ConcurrentDictionary<GrainId, GrainAddress> _entries = new();
    private int _count;

    public bool TryGet(GrainId grain, [NotNullWhen(true)] out GrainAddress? address) => _entries.TryGetValue(grain, out address);

    public void Put(GrainAddress address)
    {
        if (_entries.TryGetValue(address.Grain, out var known))
        {
            if (known != address)
            {
                _entries[address.Grain] = address;
            }

            return;
        }

        if (Volatile.Read(ref _count) >= capacity)
        {
            _entries.Clear();
            Volatile.Write(ref _count, 0);
        }

        if (_entries.TryAdd(address.Grain, address))
        {
            Interlocked.Increment(ref _count);
        }
    }

    public void Remove(GrainId grain)
    {
        if (_entries.TryRemove(grain, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Forgets every grain of <paramref name="silos"/> (they are dead or gone).</summary>
    public void RemoveSilos(IReadOnlyCollection<SiloAddress> silos)
    {
        foreach (var entry in _entries)
        {
            if (silos.Contains(entry.Value.Silo) && _entries.TryRemove(entry))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }
}
