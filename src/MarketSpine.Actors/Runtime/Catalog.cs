using System.Collections.Concurrent;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// The activations of this silo, at most one per grain: <see cref="ConcurrentDictionary{TKey,TValue}.GetOrAdd(TKey, Func{TKey,TValue})"/>
/// may build a spare activation under a race, but only the stored one ever receives a message,
/// and an activation does nothing until its first message.
/// </summary>
internal sealed class Catalog
{
    private readonly ConcurrentDictionary<GrainId, Activation> _activations = new();
    private volatile bool _closed = true;

    public int Count => _activations.Count;

    /// <summary>Whether new activations may be created here (started and not stopping).</summary>
    public bool IsOpen => !_closed;

    /// <summary>Enumerates without locking; the view may miss activations added meanwhile.</summary>
    public IEnumerable<Activation> Activations => _activations.Select(pair => pair.Value);

    /// <summary>Hands a message to the grain's activation, creating one if needed; returns it (null when the silo is closed).</summary>
    public Activation? Deliver(GrainClass grainClass, GrainId id, Message message)
    {
        while (!_closed)
        {
            var activation = _activations.GetOrAdd(id, static (id, grainClass) => new Activation(grainClass, id), grainClass);
            if (activation.Enqueue(message))
            {
                return activation;
            }

            _activations.TryRemove(KeyValuePair.Create(id, activation));
        }

        message.Reject(new SiloUnavailableException($"The silo is not running (not started, or stopping); {id} accepts no calls."));
        return null;
    }

    /// <summary>Hands a message to the grain's activation if this silo has one; never creates one.</summary>
    public Activation? TryDeliverToExisting(GrainId id, Message message)
    {
        while (_activations.TryGetValue(id, out var activation))
        {
            if (activation.Enqueue(message))
            {
                return activation;
            }

            _activations.TryRemove(KeyValuePair.Create(id, activation));
        }

        return null;
    }

    public void Remove(Activation activation) => _activations.TryRemove(KeyValuePair.Create(activation.Id, activation));

    /// <summary>Accepts calls from now on (the silo has started).</summary>
    public void Open() => _closed = false;

    /// <summary>From now on calls fail with <see cref="SiloUnavailableException"/>.</summary>
    public void Close() => _closed = true;
}
