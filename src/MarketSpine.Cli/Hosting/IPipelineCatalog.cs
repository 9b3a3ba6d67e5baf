using MarketSpine.Core.Contracts;

namespace MarketSpine.Cli.Hosting;

/// <summary>The pipelines a command can run, from the local registry or from a server (<c>--server</c>).</summary>
public interface IPipelineCatalog
{
    Task<IReadOnlyList<PipelineView>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One pipeline with its parameter spec; <c>PIPELINE_NOT_FOUND</c> when there is none of that name.</summary>
    Task<PipelineDetailView> GetAsync(string name, CancellationToken cancellationToken);
}
