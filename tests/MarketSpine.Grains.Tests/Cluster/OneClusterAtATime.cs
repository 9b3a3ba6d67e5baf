namespace MarketSpine.Grains.Tests.Cluster;

/// <summary>
/// The multi-silo tests run one at a time, and alone: their failure detection and their throughput run
/// on real seconds on this machine's two cores, which other tests running beside them would take.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneClusterAtATime
{
    public const string Name = "cluster";
}
