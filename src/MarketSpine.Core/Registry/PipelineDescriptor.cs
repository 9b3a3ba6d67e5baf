using MarketSpine.Core.Pipelines;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Core.Registry;

/// <summary>A registered pipeline: its name, what it does, its parameters, and how to build it.</summary>
public sealed record PipelineDescriptor(string Name, string Description, PipelineSpec Spec, Type PipelineType)
{
    /// <summary>The domain is the name's first segments: <c>finra.otc_transparency</c> for <c>finra.otc_transparency.ingest_week</c>.</summary>
    public string Domain => Name.Contains('.', StringComparison.Ordinal) ? Name[..Name.LastIndexOf('.')] : Name;

    /// <summary>Builds an instance, injecting its constructor's dependencies from <paramref name="services"/>.</summary>
    public Pipeline Create(IServiceProvider services) =>
        (Pipeline)ActivatorUtilities.CreateInstance(services, PipelineType);
}
