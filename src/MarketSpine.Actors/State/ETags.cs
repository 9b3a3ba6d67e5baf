using MarketSpine.Actors.Errors;

namespace MarketSpine.Actors.State;

/// <summary>Making ETags and reporting mismatches, shared by the storage providers.</summary>
internal static class ETags
{
    /// <summary>A fresh, never-reused ETag.</summary>
    public static string New() => Guid.NewGuid().ToString("N");

    public static InconsistentStateException Stale(GrainStateKey key, string? expected, string operation) => new(
        $"Cannot {operation} state '{key.StateName}' of {key.GrainType}/{key.GrainKey}: expected ETag {expected ?? "(no row)"}, but the stored row has changed since this activation read it.");
}
