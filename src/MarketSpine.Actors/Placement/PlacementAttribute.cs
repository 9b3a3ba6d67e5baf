namespace MarketSpine.Actors.Placement;

/// <summary>
/// Chooses, on a grain class, which silo gets a new activation of the grain (Orleans' placement
/// attributes). Without one a grain is <see cref="PreferLocalPlacementAttribute">placed locally</see>.
/// The set is closed: the runtime implements each strategy.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public abstract class PlacementAttribute : Attribute
{
    private protected PlacementAttribute()
    {
    }

    internal abstract PlacementStrategy Strategy { get; }
}
