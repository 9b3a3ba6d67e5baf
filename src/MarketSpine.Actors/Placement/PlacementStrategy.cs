namespace MarketSpine.Actors.Placement;

/// <summary>The placement strategies the runtime implements.</summary>
internal enum PlacementStrategy
{
    PreferLocal,
    Random,
    LeastActivations,
}
