namespace MarketSpine.Actors.Placement;

/// <summary>
/// The default: the silo that makes the first call hosts the grain (when it is active), which costs
/// no extra hop and no extra directory read; calls from clients land on their gateway silo.
/// </summary>
public sealed class PreferLocalPlacementAttribute : PlacementAttribute
{
    internal override PlacementStrategy Strategy => PlacementStrategy.PreferLocal;
}
