using System.Reflection;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Runtime;

namespace MarketSpine.Actors.Client;

/// <summary>
/// What a client knows of one grain interface method: its wire name, parameter types, timeout and
/// return shape. Built once per method, from the interface alone.
/// </summary>
internal abstract class ClientMethod
{
    protected ClientMethod(MethodInfo interfaceMethod, ReturnKind returnKind, TimeSpan defaultTimeout)
    {
        InterfaceMethod = interfaceMethod;
        ReturnKind = returnKind;
        WireName = GrainMethod.WireNameOf(interfaceMethod);
        ParameterTypes = [.. interfaceMethod.GetParameters().Select(p => p.ParameterType)];
        Timeout = interfaceMethod.GetCustomAttribute<ResponseTimeoutAttribute>(inherit: true)?.Timeout ?? defaultTimeout;
    }

    public MethodInfo InterfaceMethod { get; }

    public ReturnKind ReturnKind { get; }

    public string WireName { get; }

    public IReadOnlyList<Type> ParameterTypes { get; }

    public TimeSpan Timeout { get; }

    public static ClientMethod Create(MethodInfo interfaceMethod, TimeSpan defaultTimeout)
    {
        if (!typeof(IGrain).IsAssignableFrom(interfaceMethod.DeclaringType))
        {
            throw new NotSupportedException($"{interfaceMethod.DeclaringType}.{interfaceMethod.Name} is not a method of a grain interface.");
        }

        var (kind, result) = GrainMethodShape.Of(interfaceMethod);
        return (ClientMethod)Activator.CreateInstance(typeof(ClientMethod<>).MakeGenericType(result), interfaceMethod, kind, defaultTimeout)!;
    }

    /// <summary>Sends the call and returns what the interface method returns.</summary>
    public abstract object Send(ClientGrainProxy target, object?[] arguments);

    public string Describe(string key) => $"{InterfaceMethod.DeclaringType!.Name}/{key}.{InterfaceMethod.Name}";
}
