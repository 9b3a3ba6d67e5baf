using System.Reflection;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Registry;

/// <summary>
/// Every pipeline the process knows, found by scanning assemblies for <see cref="PipelineAttribute"/>.
/// Discovery is explicit (the host names the domain assemblies) so that a pipeline cannot
/// appear or vanish because of what happens to be loaded.
/// </summary>
public sealed class PipelineRegistry
{
    private readonly Dictionary<string, PipelineDescriptor> _byName;

    private PipelineRegistry(Dictionary<string, PipelineDescriptor> byName) => _byName = byName;

    public static PipelineRegistry FromAssemblies(params Assembly[] assemblies)
    {
        var byName = new Dictionary<string, PipelineDescriptor>(StringComparer.Ordinal);
        foreach (var type in assemblies.Distinct().SelectMany(a => a.GetTypes()))
        {
            var attribute = type.GetCustomAttribute<PipelineAttribute>();
            if (attribute is null)
            {
                continue;
            }

            if (!typeof(Pipeline).IsAssignableFrom(type) || type.IsAbstract)
            {
                throw new InvalidOperationException($"{type.FullName} carries [Pipeline] but is not a concrete Pipeline.");
            }

            var descriptor = new PipelineDescriptor(attribute.Name, attribute.Description, BuildSpec(type), type) { Rules = RulesOf(type), Retry = type.GetCustomAttribute<RetryAttribute>()?.ToPolicy() };
            if (!byName.TryAdd(descriptor.Name, descriptor))
            {
                throw new InvalidOperationException(
                    $"Pipeline name '{descriptor.Name}' is registered by both {byName[descriptor.Name].PipelineType.FullName} and {type.FullName}.");
            }
        }

        return new PipelineRegistry(byName);
    }

    public IReadOnlyList<PipelineDescriptor> List() => [.. _byName.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];

    public bool TryGet(string name, out PipelineDescriptor descriptor) => _byName.TryGetValue(name, out descriptor!);

    /// <summary>The pipeline of that name, or a <c>PIPELINE_NOT_FOUND</c> error that suggests near names.</summary>
    public PipelineDescriptor Get(string name)
    {
        if (_byName.TryGetValue(name, out var descriptor))
        {
            return descriptor;
        }

        var near = _byName.Keys
            .Where(k => k.Contains(name, StringComparison.OrdinalIgnoreCase)
                        || TextDistance.Between(k, name) <= 2
                        || TextDistance.Between(k[(k.LastIndexOf('.') + 1)..], name[(name.LastIndexOf('.') + 1)..]) <= 2)
            .Order(StringComparer.Ordinal)
            .ToList();
        var hint = near.Count > 0 ? $" Did you mean: {string.Join(", ", near)}?" : " Run 'spine list' to see the pipelines.";
        throw new NotFoundError(ErrorCodes.PipelineNotFound, $"Unknown pipeline '{name}'.{hint}",
            new Dictionary<string, object?> { ["pipeline"] = name, ["suggestions"] = near });
    }

    private static Func<PipelineParameters, IEnumerable<ValidationProblem>>? RulesOf(Type type)
    {
        if (!typeof(IValidatesParameters).IsAssignableFrom(type))
        {
            return null;
        }

        // The static abstract member's implementation, found through the interface map.
        var map = type.GetInterfaceMap(typeof(IValidatesParameters));
        var method = map.TargetMethods[Array.IndexOf(map.InterfaceMethods, typeof(IValidatesParameters).GetMethod(nameof(IValidatesParameters.Validate)))];
        return method.CreateDelegate<Func<PipelineParameters, IEnumerable<ValidationProblem>>>();
    }

    private static PipelineSpec BuildSpec(Type type)
    {
        var parameters = type.GetCustomAttributes<ParameterAttribute>()
            .Select(p => new ParameterSpec(p.Name, p.Type, p.Required, p.Default, p.AllowedValues, p.Description))
            .ToList();
        var duplicate = parameters.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"{type.FullName} declares parameter '{duplicate.Key}' twice.");
        }

        if (parameters.FirstOrDefault(p => p is { Type: ParameterType.Choice, AllowedValues: null or [] }) is { } bad)
        {
            throw new InvalidOperationException($"{type.FullName}: choice parameter '{bad.Name}' lists no allowed values.");
        }

        return new PipelineSpec(parameters);
    }
}
