namespace MarketSpine.Actors.State;

/// <summary>
/// Keeps grain states as JSON, fenced by ETag. Implementations check the ETag in the same statement
/// that writes, so two writers can never both succeed from the same version; a mismatch throws
/// <see cref="Errors.InconsistentStateException"/>. ETags are opaque and never reused (a cleared then
/// re-created row gets a fresh one), so a writer that saw an old version cannot slip in.
/// </summary>
public interface IGrainStorage
{
    Task<StoredState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="json"/> if the stored ETag is <paramref name="etag"/> (null: no row yet); returns the new ETag.</summary>
    Task<string> WriteAsync(GrainStateKey key, string json, string? etag, CancellationToken cancellationToken);

    /// <summary>Deletes the row if its ETag is <paramref name="etag"/>; with a null ETag, succeeds only if there is no row.</summary>
    Task ClearAsync(GrainStateKey key, string? etag, CancellationToken cancellationToken);
}
