using System.Diagnostics;
using System.Reflection;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Metrics;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// Everything the runtime knows about one grain interface method of one grain class: how to send
/// a call (proxy side), how to invoke it on the grain, its interleaving marks, its timeout, which
/// arguments need copying, and its statistics. Built once per class at registration.
/// </summary>
internal abstract class GrainMethod
{
    private readonly bool[] _copyArgument;

    protected GrainMethod(GrainClass grainClass, MethodInfo interfaceMethod, ReturnKind returnKind, TimeSpan timeout)
    {
        Class = grainClass;
        InterfaceMethod = interfaceMethod;
        ReturnKind = returnKind;
        Name = interfaceMethod.Name;
        AlwaysInterleave = interfaceMethod.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: true);
        IsReadOnly = interfaceMethod.IsDefined(typeof(ReadOnlyAttribute), inherit: true);
        Timeout = interfaceMethod.GetCustomAttribute<ResponseTimeoutAttribute>(inherit: true)?.Timeout ?? timeout;
        _copyArgument = [.. interfaceMethod.GetParameters().Select(p => !Immutability.IsImmutableForAnyValue(p.ParameterType))];
        ParameterTypes = [.. interfaceMethod.GetParameters().Select(p => p.ParameterType)];
        WireName = WireNameOf(interfaceMethod);
        Statistics = new MethodStatistics(grainClass.TypeName, Name);
        Tags = new TagList { { "grain.type", grainClass.TypeName }, { "grain.method", Name } };
    }

    public GrainClass Class { get; }

    public MethodInfo InterfaceMethod { get; }

    public ReturnKind ReturnKind { get; }

    public string Name { get; }

    public bool AlwaysInterleave { get; }

    public bool IsReadOnly { get; }

    public TimeSpan Timeout { get; }

    /// <summary>The declared parameter types: how arguments from another silo are read.</summary>
    public IReadOnlyList<Type> ParameterTypes { get; }

    /// <summary>Names the method on the wire, the same in every process: <c>Ns.IFoo::Add(System.Int32)</c>.</summary>
    public string WireName { get; }

    public MethodStatistics Statistics { get; }

    /// <summary>The metric tags of this method, built once.</summary>
    public TagList Tags { get; }

    /// <summary>Sends a call with <paramref name="arguments"/> (copied in place) and returns what the interface method returns.</summary>
    public abstract object Send(GrainProxy target, object?[] arguments);

    /// <summary>The type a result travels as: the method's <c>T</c>, or <see cref="object"/> (always null) for a bare task.</summary>
    public abstract Type ResultType { get; }

    /// <summary>A call that arrived from another process, to run here; its result is not copied (it is serialized).</summary>
    public abstract GrainCall CreateCall(GrainId grain, object?[] arguments, CallLink? parent, long deadline);

    /// <summary>The wire name of an interface method, shared by silos and clients.</summary>
    public static string WireNameOf(MethodInfo interfaceMethod) =>
        $"{interfaceMethod.DeclaringType!.FullName}::{interfaceMethod.Name}({string.Join(",", interfaceMethod.GetParameters().Select(p => p.ParameterType.FullName))})";

    protected void CopyArguments(ArgumentCopier copier, object?[] arguments)
    {
        for (var i = 0; i < arguments.Length; i++)
        {
            if (_copyArgument[i])
            {
                arguments[i] = copier.Copy(arguments[i]);
            }
        }
    }
}
