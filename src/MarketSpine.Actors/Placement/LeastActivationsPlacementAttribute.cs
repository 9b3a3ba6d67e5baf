namespace MarketSpine.Actors.Placement;

/// <summary>
/// A new activation goes to the less loaded of two active silos chosen at random, by the activation
/// counts silos report with their heartbeats (Orleans' activation-count placement). Two random
/// choices rather than the global minimum: counts are up to a heartbeat old, and every silo sending
/// a burst of new grains to the one least loaded silo would overload it.
/// </summary>
public sealed class LeastActivationsPlacementAttribute : PlacementAttribute
{
    internal override PlacementStrategy Strategy => PlacementStrategy.LeastActivations;
}
