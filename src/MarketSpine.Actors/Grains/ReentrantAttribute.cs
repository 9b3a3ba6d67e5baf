namespace MarketSpine.Actors.Grains;

/// <summary>
/// Lets every request to this grain class interleave with the requests already running at their
/// await points. Turns still run one at a time on the activation (never in parallel).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute;
