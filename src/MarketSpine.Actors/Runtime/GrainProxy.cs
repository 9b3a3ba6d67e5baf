using System.Reflection;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// The run-time generated reference behind <c>GetGrain&lt;T&gt;(key)</c> (a
/// <see cref="DispatchProxy"/>). It caches the local activation it last reached, so repeated calls
/// through one reference skip the catalog lookup; other calls go through the silo's router, to this
/// silo's catalog or another silo. Two references to the same grain are equal.
/// </summary>
public class GrainProxy : DispatchProxy, IGrainReference
{
    private Activation? _cached;

    /// <summary>The grain this reference addresses.</summary>
    public GrainId GrainId { get; private set; }

    internal SiloRuntime Runtime { get; private set; } = null!;

    internal GrainClass Class { get; private set; } = null!;

    string IGrainReference.Key => GrainId.Key;

    public override bool Equals(object? obj) => obj is GrainProxy other && other.GrainId == GrainId;

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => GrainId.ToString();

    internal void Initialize(SiloRuntime runtime, GrainClass grainClass, GrainId grainId)
    {
        Runtime = runtime;
        Class = grainClass;
        GrainId = grainId;
    }

    internal void Deliver(Message message)
    {
        var activation = _cached;
        if (activation is null || !activation.Enqueue(message))
        {
            _cached = Runtime.Router.Deliver(Class, GrainId, message);
        }
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return Class.Methods.TryGetValue(targetMethod, out var method)
            ? method.Send(this, args ?? [])
            : throw new NotSupportedException($"{targetMethod.DeclaringType}.{targetMethod.Name} is not a method of a grain interface of {Class.TypeName}.");
    }
}
