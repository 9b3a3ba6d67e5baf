namespace MarketSpine.Actors.Grains;

/// <summary>
/// On a grain interface method: a request for it starts even while other requests of the
/// activation are running (Orleans' semantics). Turns still run one at a time.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class AlwaysInterleaveAttribute : Attribute;
