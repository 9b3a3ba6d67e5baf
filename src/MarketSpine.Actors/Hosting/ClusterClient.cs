using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Metrics;

namespace MarketSpine.Actors.Hosting;

/// <summary>The in-process client: references straight into the local silo's catalog.</summary>
internal sealed class ClusterClient(Silo silo) : IClusterClient
{
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey => silo.GrainFactory.GetGrain<TGrainInterface>(key);

    public Task<ClusterStatistics> GetClusterStatisticsAsync(CancellationToken cancellationToken) => silo.GetClusterStatisticsAsync(cancellationToken);
}
