namespace MarketSpine.Actors.Tests.Cluster;

/// <summary>
/// Multi-silo tests run one at a time, and alone, after the other tests: their failure detection runs
/// on real seconds, and sharing this machine's two cores with other clusters would turn scheduling
/// delays into missed heartbeats, while their load would in turn starve other tests' time limits.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneClusterAtATime
{
    public const string Name = "cluster";
}
