namespace MarketSpine.Actors.Metrics;

/// <summary>A snapshot of one silo: its activations, calls per grain method, reminder ticks, errors by kind and directory lookups.</summary>
public sealed record SiloStatistics(
    string Silo,
    DateTimeOffset TakenAt,
    int Activations,
    IReadOnlyDictionary<string, int> ActivationsByGrainType,
    IReadOnlyList<MethodCallStatistics> Calls,
    ReminderStatistics Reminders,
    IReadOnlyDictionary<string, long> ErrorsByKind,
    DirectoryStatistics Directory)
{
    /// <summary>The silo's transport (connections, bytes, frames, requests); null in single-node mode.</summary>
    public Transport.TransportStatistics? Transport { get; init; }
}
