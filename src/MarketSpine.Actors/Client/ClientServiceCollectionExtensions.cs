using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Actors.Client;

public static class ClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="RemoteClusterClient"/>, also as <see cref="IClusterClient"/>, for a process
    /// that calls grains without hosting any (the API, the CLI). Call
    /// <see cref="RemoteClusterClient.ConnectAsync"/> before the first call. A <see cref="TimeProvider"/>
    /// registered beforehand is used for its timeouts.
    /// </summary>
    public static IServiceCollection AddMarketSpineClient(this IServiceCollection services, Action<ClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new ClientBuilder(services);
        configure(builder);
        builder.Options.Validate();
        services.AddSingleton(provider => new RemoteClusterClient(
            builder.Options,
            provider.GetService<PostgresMembershipTable>() ?? throw new InvalidOperationException("The client needs the cluster's membership: ClientBuilder.UsePostgresClustering(...)."),
            provider.GetService<IMessageTransport>() ?? throw new InvalidOperationException("The client needs a transport: ClientBuilder.UseTransport(...)."),
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.AddSingleton<IClusterClient>(provider => provider.GetRequiredService<RemoteClusterClient>());
        return services;
    }
}
