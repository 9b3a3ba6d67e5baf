using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketSpine.Actors.Client;

/// <summary>
/// Configures the client that <see cref="ClientServiceCollectionExtensions.AddMarketSpineClient"/> registers:
/// where it reads the gateways from (the cluster's membership table) and how it reaches them.
/// </summary>
public sealed class ClientBuilder
{
    internal ClientBuilder(IServiceCollection services) => Services = services;

    public IServiceCollection Services { get; }

    internal ClusterClientOptions Options { get; } = new();

    /// <summary>Reads the active silos, the client's gateways, from the membership table of <paramref name="dataSource"/>.</summary>
    public ClientBuilder UsePostgresClustering(NpgsqlDataSource dataSource)
    {
        Services.AddSingleton(new PostgresMembershipTable(dataSource));
        return this;
    }

    /// <summary>How the client reaches gateways (it only sends; it never listens). The client disposes it.</summary>
    public ClientBuilder UseTransport(Func<IServiceProvider, IMessageTransport> factory)
    {
        Services.AddSingleton(factory);
        return this;
    }

    public ClientBuilder Configure(Action<ClusterClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Options);
        return this;
    }
}
