using MarketSpine.Cli.Hosting;
using MarketSpine.Core.Execution;
using MarketSpine.Domains.Otc.Queries;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Cli.Remote;

/// <summary>
/// What a command gets in <c>--server</c> mode: the same interfaces as on the local database (the command
/// layer, the OTC queries, the pipeline catalog), answered by the server's REST API.
/// </summary>
public static class RemoteServices
{
    public static ServiceProvider Build(Uri server) => new ServiceCollection()
        .AddSingleton(TimeProvider.System)
        .AddSingleton(new RemoteServer(server))
        .AddSingleton<IExecutionCommands, HttpExecutionCommands>()
        .AddSingleton<IExecutionSubmitter>(provider => provider.GetRequiredService<IExecutionCommands>())
        .AddSingleton<IOtcQueries, HttpOtcQueries>()
        .AddSingleton<IPipelineCatalog, HttpPipelineCatalog>()
        .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
}
