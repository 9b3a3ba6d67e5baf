using System.Reflection;
using MarketSpine.Actors.Client;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Transport;
using MarketSpine.Api.Health;
using MarketSpine.Core.Data;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Registry;
using MarketSpine.Domains.Otc;
using MarketSpine.Grains.Hosting;
using MarketSpine.Storage.Executions;
using MarketSpine.Storage.Postgres;
using Npgsql;

namespace MarketSpine.Api.FrontEnd;

/// <summary>
/// The services of an API front end that hosts no grains: a cluster client over TCP to the silos it
/// finds in the membership table, the command layer on top of it (it validates and reads here; the
/// grains run on the silos), and the OTC domain's query layer on the cluster's database.
/// </summary>
public static class FrontEndServices
{
    /// <param name="services">The front end's container.</param>
    /// <param name="dataSource">The cluster's database.</param>
    /// <param name="extensions">Assemblies of pipelines beyond the OTC domain's that the silos run.</param>
    /// <param name="configureExecutions">The operator's execution settings (the backlog bound is enforced here, where submissions arrive).</param>
    public static IServiceCollection AddFrontEnd(
        this IServiceCollection services, NpgsqlDataSource dataSource, IReadOnlyList<Assembly> extensions, Action<ExecutionOptions>? configureExecutions = null)
    {
        var database = new PostgresSpineDatabase(dataSource);
        services
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ISpineDatabase>(database)
            .AddSingleton<IExecutionStore>(new SqlExecutionStore(database))
            .AddSingleton(PipelineRegistry.FromAssemblies([OtcDomain.Assembly, .. extensions]))
            .AddOtcDomain()
            // A front end submits and asks; the silos run the attempts.
            .AddMarketSpineExecutions(options =>
            {
                configureExecutions?.Invoke(options);
                options.RunsAttempts = false;
            })
            .AddMarketSpineClient(client => client
                .UsePostgresClustering(dataSource)
                .UseTransport(provider => new TcpMessageTransport(new TcpTransportOptions(), provider.GetRequiredService<ILogger<TcpMessageTransport>>())))
            .AddSingleton<IGrainFactory>(provider => provider.GetRequiredService<IClusterClient>())
            .AddSingleton<IReadinessCheck, ClusterReadinessCheck>();
        return services;
    }
}
