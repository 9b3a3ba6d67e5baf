using MarketSpine.Cli.Hosting;
using MarketSpine.Core.Contracts;

namespace MarketSpine.Cli.Remote;

/// <summary>The pipelines a remote server runs (<c>GET /v1/pipelines</c>).</summary>
public sealed class HttpPipelineCatalog(RemoteServer server) : IPipelineCatalog
{
    public async Task<IReadOnlyList<PipelineView>> ListAsync(CancellationToken cancellationToken) =>
        (await server.GetAsync<PipelineList>("/v1/pipelines", cancellationToken)).Pipelines;

    public Task<PipelineDetailView> GetAsync(string name, CancellationToken cancellationToken) =>
        server.GetAsync<PipelineDetailView>($"/v1/pipelines/{Uri.EscapeDataString(name)}", cancellationToken);
}
