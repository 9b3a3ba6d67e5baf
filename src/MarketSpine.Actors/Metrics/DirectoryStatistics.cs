namespace MarketSpine.Actors.Metrics;

/// <summary>
/// How this silo found grains that are not active in it: from its cache of remote locations (a hit),
/// or through the cluster's directory (a miss). Always zero in single-node mode.
/// </summary>
public sealed record DirectoryStatistics(long CacheHits, long CacheMisses);
