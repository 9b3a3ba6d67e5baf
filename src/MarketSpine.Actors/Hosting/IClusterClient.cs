using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Metrics;

namespace MarketSpine.Actors.Hosting;

/// <summary>
/// How code outside grains (the API, the CLI) calls grains: the same <see cref="IGrainFactory.GetGrain{TGrainInterface}"/>.
/// In a silo's process it calls through the silo (<c>AddMarketSpineActors</c>); elsewhere
/// <see cref="Client.RemoteClusterClient"/> calls through gateway silos (<c>AddMarketSpineClient</c>).
/// </summary>
public interface IClusterClient : IGrainFactory
{
    /// <summary>
    /// The statistics of every live silo (activations, calls and latency per grain method, reminder
    /// ticks and lateness, errors, directory lookups), each silo asked at once; silos that do not
    /// answer in time are listed as unreachable.
    /// </summary>
    Task<ClusterStatistics> GetClusterStatisticsAsync(CancellationToken cancellationToken);
}
