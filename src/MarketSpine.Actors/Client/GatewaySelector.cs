using System.Collections.Concurrent;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Membership;

namespace MarketSpine.Actors.Client;

/// <summary>
/// The client's gateways: the active silos of its last membership read, less those that failed
/// recently. A silo that stops answering stays listed as active until a peer declares it dead; the
/// client skips it meanwhile, so calls do not keep trying a dead gateway. A call goes to the silo
/// that last ran its grain when that one is a usable gateway; otherwise gateways are picked at
/// random, which spreads clients' calls over the cluster.
/// </summary>
internal sealed class GatewaySelector(TimeProvider time)
{
    private readonly ConcurrentDictionary<SiloAddress, long> _suspectUntil = new();
    private volatile SiloEntry[] _active = [];

    public IReadOnlyList<SiloEntry> Active => _active;

    public void Update(IReadOnlyList<SiloEntry> alive)
    {
        _active = [.. alive.Where(e => e.Status == SiloStatus.Active)];
        foreach (var suspect in _suspectUntil.Keys)
        {
            if (!alive.Any(e => e.Address == suspect))
            {
                _suspectUntil.TryRemove(suspect, out _);
            }
        }
    }

    public void Suspect(SiloAddress gateway, TimeSpan period) => _suspectUntil[gateway] = time.GetTimestamp() + (long)(period.TotalSeconds * time.TimestampFrequency);

    /// <summary>
    /// <paramref name="preferred"/> when it is active, not <paramref name="exclude"/> and has not failed
    /// lately; otherwise a gateway other than <paramref name="exclude"/> at random, preferring ones that
    /// have not failed lately; null when there is none. It runs on every call, so it allocates nothing
    /// (up to 64 gateways).
    /// </summary>
    public SiloEntry? Pick(SiloAddress? exclude, SiloAddress? preferred)
    {
        var active = _active;
        var now = time.GetTimestamp();
        if (preferred is not null && preferred != exclude)
        {
            foreach (var entry in active)
            {
                if (entry.Address == preferred)
                {
                    if (IsHealthy(entry, now))
                    {
                        return entry;
                    }

                    break;
                }
            }
        }

        // Health is read once per gateway: a gateway suspected meanwhile must not change the count.
        Span<bool> usable = active.Length <= 64 ? stackalloc bool[active.Length] : new bool[active.Length];
        int candidates = 0, healthy = 0;
        for (var i = 0; i < active.Length; i++)
        {
            if (active[i].Address != exclude)
            {
                candidates++;
                usable[i] = IsHealthy(active[i], now);
                healthy += usable[i] ? 1 : 0;
            }
        }

        if (candidates == 0)
        {
            return null;
        }

        var onlyHealthy = healthy > 0;
        var chosen = Random.Shared.Next(onlyHealthy ? healthy : candidates);
        for (var i = 0; ; i++)
        {
            if (active[i].Address != exclude && (usable[i] || !onlyHealthy) && chosen-- == 0)
            {
                return active[i];
            }
        }
    }

    private bool IsHealthy(SiloEntry entry, long now) => !_suspectUntil.TryGetValue(entry.Address, out var until) || until <= now;
}
