using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Contracts;

/// <summary>One parameter of a pipeline: name, type, whether it is required, its default and allowed values.</summary>
public sealed record ParameterView(string Name, string Type, bool Required, string? Default, IReadOnlyList<string>? Allowed, string Description)
{
    public static ParameterView From(ParameterSpec spec) =>
        new(spec.Name, spec.Type.ToString().ToLowerInvariant(), spec.Required, spec.Default, spec.AllowedValues, spec.Description);
}
