namespace MarketSpine.Actors.Grains;

/// <summary>
/// On a grain interface method that does not change the grain's state: such requests interleave
/// with one another, but never with a request that is not read-only.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class ReadOnlyAttribute : Attribute;
