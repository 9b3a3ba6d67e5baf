using System.Collections.Frozen;
using MarketSpine.Actors.Directory;

namespace MarketSpine.Actors.Membership;

/// <summary>
/// What one process last read of the membership table: the silos that are not dead. Immutable, so
/// callers read it without locks while the next read replaces it whole.
/// </summary>
internal sealed class MembershipView
{
    public static readonly MembershipView Empty = new([]);

    private readonly FrozenDictionary<SiloAddress, SiloEntry> _alive;

    public MembershipView(IEnumerable<SiloEntry> alive)
    {
        _alive = alive.Where(e => e.Status != SiloStatus.Dead).ToFrozenDictionary(e => e.Address);
        Active = [.. _alive.Values.Where(e => e.Status == SiloStatus.Active).OrderBy(e => e.Address.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>Silos accepting new activations and client calls, in a stable order.</summary>
    public IReadOnlyList<SiloEntry> Active { get; }

    public IEnumerable<SiloEntry> Alive => _alive.Values;

    public bool IsAlive(SiloAddress silo) => _alive.ContainsKey(silo);

    public SiloEntry? Find(SiloAddress silo) => _alive.GetValueOrDefault(silo);
}
