using MarketSpine.Core.Contracts;
using MarketSpine.Core.Registry;

namespace MarketSpine.Cli.Hosting;

/// <summary>The pipelines registered in this process.</summary>
public sealed class LocalPipelineCatalog(PipelineRegistry registry) : IPipelineCatalog
{
    public Task<IReadOnlyList<PipelineView>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PipelineView>>([.. registry.List().Select(PipelineView.From)]);

    public Task<PipelineDetailView> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(PipelineDetailView.From(registry.Get(name)));
}
