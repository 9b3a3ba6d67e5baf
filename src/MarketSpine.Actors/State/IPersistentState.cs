namespace MarketSpine.Actors.State;

/// <summary>
/// A grain's durable state, injected into its constructor with <see cref="PersistentStateAttribute"/>.
/// It is read before <c>OnActivateAsync</c>. Every write and clear carries the <see cref="Etag"/> of the
/// last read or write: if the stored row changed meanwhile, the write throws
/// <see cref="Errors.InconsistentStateException"/> and the runtime deactivates the activation.
/// </summary>
public interface IPersistentState<TState>
{
    /// <summary>The state; a new <typeparamref name="TState"/> when nothing is stored.</summary>
    TState State { get; set; }

    /// <summary>The stored version this activation last saw; null when no row exists.</summary>
    string? Etag { get; }

    /// <summary>Whether a row is stored.</summary>
    bool RecordExists { get; }

    /// <summary>Reads the stored state, replacing <see cref="State"/>.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <see cref="State"/> if the row is still at <see cref="Etag"/>.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the row if it is still at <see cref="Etag"/>, and resets <see cref="State"/>.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
