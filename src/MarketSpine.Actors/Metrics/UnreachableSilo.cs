namespace MarketSpine.Actors.Metrics;

/// <summary>A live member of the membership whose statistics could not be read, and why.</summary>
public sealed record UnreachableSilo(string Silo, string Reason);
