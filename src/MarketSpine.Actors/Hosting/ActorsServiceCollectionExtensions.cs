using MarketSpine.Actors.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Actors.Hosting;

public static class ActorsServiceCollectionExtensions
{
    /// <summary>
    /// Registers one silo (<see cref="Silo"/>, to start and stop with the host), its
    /// <see cref="IGrainFactory"/> and an in-process <see cref="IClusterClient"/>. A
    /// <see cref="TimeProvider"/> registered beforehand is used for all of the silo's time.
    /// </summary>
    public static IServiceCollection AddMarketSpineActors(this IServiceCollection services, Action<SiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new SiloBuilder(services);
        configure(builder);
        services.AddSingleton(provider => new Silo(builder.Options, builder.GrainClasses, provider));
        services.AddSingleton<IGrainFactory>(provider => provider.GetRequiredService<Silo>().GrainFactory);
        services.AddSingleton<IClusterClient>(provider => new ClusterClient(provider.GetRequiredService<Silo>()));
        return services;
    }
}
