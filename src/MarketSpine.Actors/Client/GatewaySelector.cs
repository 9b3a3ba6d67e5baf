using System.Collections.Concurrent;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Membership;

namespace MarketSpine.Actors.Client;

/// <summary>
/// The client's gateways: the active silos of its last membership read, less those that failed
/// recently. A silo that stops answering stays listed as active until a peer declares it dead; the
/// client skips it meanwhile, so calls do not keep trying a dead gateway. Gateways are picked at random,
/// which spreads clients' calls over the cluster.
/// </summary>
internal sealed class GatewaySelector(TimeProvider time)
{
    private readonly ConcurrentDictionary<SiloAddress, long> _suspectUntil = new();
    private volatile IReadOnlyList<SiloEntry> _active = [];

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

    /// <summary>A gateway other than <paramref name="exclude"/>, preferring ones that have not failed lately; null when there is none.</summary>
    public SiloEntry? Pick(SiloAddress? exclude)
    {
        var now = time.GetTimestamp();
        var candidates = _active.Where(e => e.Address != exclude).ToList();
        var healthy = candidates.Where(e => !_suspectUntil.TryGetValue(e.Address, out var until) || until <= now).ToList();
        var from = healthy.Count > 0 ? healthy : candidates;
        return from.Count == 0 ? null : from[Random.Shared.Next(from.Count)];
    }
}
