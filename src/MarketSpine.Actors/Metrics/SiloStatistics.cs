namespace MarketSpine.Actors.Metrics;

/// <summary>A snapshot of one silo: its activations, calls per grain method, reminder ticks and errors by kind.</summary>
public sealed record SiloStatistics(
    string Silo,
    DateTimeOffset TakenAt,
    int Activations,
    IReadOnlyDictionary<string, int> ActivationsByGrainType,
    IReadOnlyList<MethodCallStatistics> Calls,
    ReminderStatistics Reminders,
    IReadOnlyDictionary<string, long> ErrorsByKind);
