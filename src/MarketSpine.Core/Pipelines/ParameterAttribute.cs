namespace MarketSpine.Core.Pipelines;

/// <summary>
/// Declares one parameter of a pipeline. Declared on the class rather than built in code so the
/// registry can describe and validate a pipeline without constructing it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ParameterAttribute(string name, ParameterType type) : Attribute
{
    public string Name { get; } = name;

    public ParameterType Type { get; } = type;

    public bool Required { get; init; }

    /// <summary>Default as text, parsed like user input; null when there is none.</summary>
    public string? Default { get; init; }

    public string[]? AllowedValues { get; init; }

    public string Description { get; init; } = "";
}
