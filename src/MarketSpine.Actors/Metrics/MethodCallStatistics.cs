namespace MarketSpine.Actors.Metrics;

/// <summary>
/// Calls answered for one method since the silo started. <see cref="Failures"/> and
/// <see cref="Timeouts"/> are included in <see cref="Calls"/>; latency runs from the call being sent
/// to its answer, queueing included.
/// </summary>
public sealed record MethodCallStatistics(
    string GrainType,
    string Method,
    long Calls,
    long Failures,
    long Timeouts,
    TimeSpan MeanLatency,
    TimeSpan MaxLatency);
