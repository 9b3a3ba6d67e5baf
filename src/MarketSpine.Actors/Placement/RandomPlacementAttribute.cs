namespace MarketSpine.Actors.Placement;

/// <summary>A new activation goes to an active silo chosen at random, spreading grains that one silo creates.</summary>
public sealed class RandomPlacementAttribute : PlacementAttribute
{
    internal override PlacementStrategy Strategy => PlacementStrategy.Random;
}
