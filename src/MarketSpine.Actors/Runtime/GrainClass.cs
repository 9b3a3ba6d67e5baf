using System.Reflection;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Placement;
using MarketSpine.Actors.State;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// A registered grain class: its type name, reentrancy, constructor plan and the methods of every
/// grain interface it implements. Checked when the silo is built, so a bad grain fails at startup
/// rather than on its first call.
/// </summary>
internal sealed class GrainClass
{
    private readonly ConstructorInfo _constructor;
    private readonly Func<Activation, object>[] _arguments;

    public GrainClass(SiloRuntime runtime, Type classType)
    {
        if (!typeof(Grain).IsAssignableFrom(classType) || classType.IsAbstract || classType.IsGenericTypeDefinition)
        {
            throw new ArgumentException($"{classType} is not a concrete class deriving from {nameof(Grain)}.", nameof(classType));
        }

        Runtime = runtime;
        ClassType = classType;
        TypeName = classType.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? classType.Name;
        IsReentrant = classType.IsDefined(typeof(ReentrantAttribute), inherit: true);
        Placement = classType.GetCustomAttribute<PlacementAttribute>()?.Strategy ?? PlacementStrategy.PreferLocal;
        Logger = runtime.LoggerFactory.CreateLogger(classType);
        Interfaces = [.. classType.GetInterfaces().Where(i => typeof(IGrain).IsAssignableFrom(i) && i != typeof(IGrain) && i != typeof(IGrainWithStringKey))];
        if (Interfaces.Count == 0)
        {
            throw new ArgumentException($"{classType} implements no grain interface (an interface deriving from {nameof(IGrainWithStringKey)}).", nameof(classType));
        }

        var methods = new Dictionary<MethodInfo, GrainMethod>();
        foreach (var grainInterface in Interfaces)
        {
            foreach (var method in grainInterface.GetMethods())
            {
                methods[method] = CreateMethod(method);
            }
        }

        Methods = methods;
        MethodsByWireName = methods.Values.ToDictionary(m => m.WireName, StringComparer.Ordinal);
        _constructor = classType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
                       ?? throw new ArgumentException($"{classType} has no public constructor.", nameof(classType));
        _arguments = [.. _constructor.GetParameters().Select(PlanArgument)];
    }

    public SiloRuntime Runtime { get; }

    public Type ClassType { get; }

    public string TypeName { get; }

    public bool IsReentrant { get; }

    /// <summary>Which silo gets a new activation (<see cref="PlacementAttribute"/>).</summary>
    public PlacementStrategy Placement { get; }

    public ILogger Logger { get; }

    public IReadOnlyList<Type> Interfaces { get; }

    public IReadOnlyDictionary<MethodInfo, GrainMethod> Methods { get; }

    /// <summary>The same methods by <see cref="GrainMethod.WireName"/>, for calls from other processes.</summary>
    public IReadOnlyDictionary<string, GrainMethod> MethodsByWireName { get; }

    public Grain CreateInstance(Activation activation) =>
        (Grain)_constructor.Invoke([.. _arguments.Select(argument => argument(activation))]);

    private GrainMethod CreateMethod(MethodInfo method)
    {
        var (kind, result) = GrainMethodShape.Of(method);
        return (GrainMethod)Activator.CreateInstance(
            typeof(GrainMethod<>).MakeGenericType(result), this, method, kind, Runtime.Options.DefaultCallTimeout)!;
    }

    private Func<Activation, object> PlanArgument(ParameterInfo parameter)
    {
        if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } attribute)
        {
            var storage = Runtime.GetStorage(attribute.StorageName);
            return PersistentStateFactory.Plan(parameter, attribute, storage, Runtime.Options.SerializerOptions);
        }

        var type = parameter.ParameterType;
        return activation => activation.Runtime.Services.GetService(type)
                             ?? throw new InvalidOperationException($"{ClassType}'s constructor needs a {type}, which is not registered.");
    }
}
