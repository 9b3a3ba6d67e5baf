using MarketSpine.Core.Registry;

namespace MarketSpine.Core.Contracts;

/// <summary>A registered pipeline as <c>GET /v1/pipelines</c> lists it.</summary>
public sealed record PipelineView(string Name, string Domain, string Description)
{
    public static PipelineView From(PipelineDescriptor descriptor) => new(descriptor.Name, descriptor.Domain, descriptor.Description);
}
