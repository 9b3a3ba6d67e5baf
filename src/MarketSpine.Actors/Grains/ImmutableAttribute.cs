namespace MarketSpine.Actors.Grains;

/// <summary>
/// Declares that instances of a type are never mutated after they are passed to or returned from
/// a grain call, so a call inside the silo may pass them by reference instead of copying them
/// (Orleans' <c>[Immutable]</c>). The runtime trusts this declaration; it is the caller's promise.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class ImmutableAttribute : Attribute;
