using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Runtime;

namespace MarketSpine.Actors.Placement;

/// <summary>
/// Chooses the silo for a grain that has no activation, among the active silos of the membership view.
/// The choice is only a proposal: the chosen silo registers its activation in the directory, and if
/// another silo's registration won meanwhile, the call goes there instead.
/// </summary>
internal sealed class PlacementDirector(SiloRuntime runtime, MembershipAgent membership)
{
    /// <summary>The silo for a new activation of <paramref name="grainClass"/>, never <paramref name="exclude"/>; null when no silo is active.</summary>
    public SiloAddress? Choose(GrainClass grainClass, SiloAddress? exclude)
    {
        var self = runtime.Address;
        var hereAllowed = runtime.Cluster?.CanHostHere == true;
        var candidates = membership.View.Active
            .Where(e => e.Address != exclude && (e.Address != self || hereAllowed))
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        return grainClass.Placement switch
        {
            PlacementStrategy.PreferLocal when hereAllowed && self != exclude => self,
            PlacementStrategy.LeastActivations => LessLoadedOfTwo(candidates),
            _ => candidates[Random.Shared.Next(candidates.Count)].Address,
        };
    }

    private SiloAddress LessLoadedOfTwo(List<SiloEntry> candidates)
    {
        if (candidates.Count == 1)
        {
            return candidates[0].Address;
        }

        var i = Random.Shared.Next(candidates.Count);
        var j = Random.Shared.Next(candidates.Count - 1);
        if (j >= i)
        {
            j++;
        }

        return Load(candidates[i]) <= Load(candidates[j]) ? candidates[i].Address : candidates[j].Address;
    }

    // This silo's own count is live; peers' are as of their last heartbeat.
    private int Load(SiloEntry entry) => entry.Address == runtime.Address ? runtime.Catalog.Count : entry.ActivationCount;
}
