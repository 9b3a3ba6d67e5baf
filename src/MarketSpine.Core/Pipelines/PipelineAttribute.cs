namespace MarketSpine.Core.Pipelines;

/// <summary>Registers a <see cref="Pipeline"/> under a dotted name, found by assembly discovery.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PipelineAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; init; } = "";
}
