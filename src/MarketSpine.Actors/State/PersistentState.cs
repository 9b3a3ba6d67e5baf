using System.Text.Json;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Runtime;

namespace MarketSpine.Actors.State;

/// <summary>
/// The runtime's <see cref="IPersistentState{TState}"/>: JSON in an <see cref="IGrainStorage"/>,
/// read when the activation starts. A stale ETag deactivates the activation after the current
/// request, so the next call reads the stored state again instead of overwriting it.
/// </summary>
internal sealed class PersistentState<TState>(Activation activation, GrainStateKey key, IGrainStorage storage, JsonSerializerOptions options)
    : IPersistentState<TState>, IActivationComponent
{
    public TState State { get; set; } = Activator.CreateInstance<TState>();

    public string? Etag { get; private set; }

    public bool RecordExists => Etag is not null;

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync(key, cancellationToken);
        State = stored is null ? Activator.CreateInstance<TState>() : JsonSerializer.Deserialize<TState>(stored.Json, options)!;
        Etag = stored?.Etag;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(State, options);
        try
        {
            Etag = await storage.WriteAsync(key, json, Etag, cancellationToken);
        }
        catch (InconsistentStateException)
        {
            OnInconsistent();
            throw;
        }
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.ClearAsync(key, Etag, cancellationToken);
        }
        catch (InconsistentStateException)
        {
            OnInconsistent();
            throw;
        }

        Etag = null;
        State = Activator.CreateInstance<TState>();
    }

    Task IActivationComponent.OnActivateAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);

    void IActivationComponent.OnDeactivate()
    {
    }

    private void OnInconsistent()
    {
        activation.Runtime.Metrics.RecordError("inconsistent_state");
        activation.RequestDeactivation(DeactivationReason.InconsistentState);
    }
}
