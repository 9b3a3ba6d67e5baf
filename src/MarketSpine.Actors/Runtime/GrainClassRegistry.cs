namespace MarketSpine.Actors.Runtime;

/// <summary>The silo's grain classes, by type name and by the interfaces they implement.</summary>
internal sealed class GrainClassRegistry
{
    private readonly Dictionary<string, GrainClass> _byTypeName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, List<GrainClass>> _byInterface = [];
    private readonly Dictionary<string, Type> _interfacesByName = new(StringComparer.Ordinal);

    public GrainClassRegistry(SiloRuntime runtime, IEnumerable<Type> classTypes)
    {
        foreach (var classType in classTypes.Distinct())
        {
            var grainClass = new GrainClass(runtime, classType);
            if (!_byTypeName.TryAdd(grainClass.TypeName, grainClass))
            {
                throw new InvalidOperationException(
                    $"Grain classes {_byTypeName[grainClass.TypeName].ClassType} and {classType} share the type name '{grainClass.TypeName}'; give one a [GrainType].");
            }

            foreach (var grainInterface in grainClass.Interfaces)
            {
                if (!_byInterface.TryGetValue(grainInterface, out var implementations))
                {
                    _byInterface[grainInterface] = implementations = [];
                    _interfacesByName[grainInterface.FullName!] = grainInterface;
                }

                implementations.Add(grainClass);
            }
        }
    }

    public IReadOnlyCollection<GrainClass> Classes => _byTypeName.Values;

    public GrainClass? FindByTypeName(string typeName) => _byTypeName.GetValueOrDefault(typeName);

    /// <summary>The grain interface with this full name, for calls from clients, which know interfaces only.</summary>
    public Type? FindInterface(string fullName) => _interfacesByName.GetValueOrDefault(fullName);

    public GrainClass ForInterface(Type grainInterface)
    {
        if (!_byInterface.TryGetValue(grainInterface, out var implementations))
        {
            throw new ArgumentException($"No registered grain class implements {grainInterface}.", nameof(grainInterface));
        }

        return implementations.Count == 1
            ? implementations[0]
            : throw new ArgumentException(
                $"{grainInterface} is implemented by several grain classes ({string.Join(", ", implementations.Select(c => c.TypeName))}); one interface must name one class.",
                nameof(grainInterface));
    }
}
