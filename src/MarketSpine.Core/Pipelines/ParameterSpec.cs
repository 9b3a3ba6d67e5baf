namespace MarketSpine.Core.Pipelines;

/// <summary>One parameter of a pipeline: what it is called, what it holds and whether it must be given.</summary>
public sealed record ParameterSpec(
    string Name,
    ParameterType Type,
    bool Required,
    string? Default,
    IReadOnlyList<string>? AllowedValues,
    string Description);
