namespace MarketSpine.Actors.Metrics;

/// <summary>
/// The statistics of every live silo of the cluster, each as of its own snapshot, gathered by one
/// call (the dashboard's view of the runtime). A silo that did not answer within the collection's
/// timeout is listed in <see cref="Unreachable"/> rather than failing the whole call.
/// </summary>
public sealed record ClusterStatistics(DateTimeOffset TakenAt, IReadOnlyList<SiloStatistics> Silos, IReadOnlyList<UnreachableSilo> Unreachable)
{
    /// <summary>Live activations across the silos that answered.</summary>
    public int Activations => Silos.Sum(silo => silo.Activations);

    /// <summary>Grain calls answered across the silos that answered, since each started.</summary>
    public long Calls => Silos.Sum(silo => silo.Calls.Sum(method => method.Calls));
}
