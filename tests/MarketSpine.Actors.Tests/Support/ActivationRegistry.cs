using System.Collections.Concurrent;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// Shared by every silo of a <see cref="TestCluster"/>: test grains enter it when they activate and
/// leave it when they deactivate, so a second activation of a key while the first one lives, on
/// whichever silo, is caught the moment it starts.
/// </summary>
public sealed class ActivationRegistry
{
    private readonly ConcurrentDictionary<string, string> _live = new(StringComparer.Ordinal);
    private int _activations;

    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>How many activations have started.</summary>
    public int Activations => Volatile.Read(ref _activations);

    public void Enter(string key, string silo)
    {
        Interlocked.Increment(ref _activations);
        if (!_live.TryAdd(key, silo))
        {
            Violations.Enqueue($"{key} activated on {silo} while active on {_live.GetValueOrDefault(key)}");
        }
    }

    public void Leave(string key, string silo)
    {
        if (!_live.TryRemove(KeyValuePair.Create(key, silo)))
        {
            Violations.Enqueue($"{key} deactivated on {silo}, where it was not the live activation");
        }
    }

    /// <summary>Forgets the activations of a killed silo: they died with it.</summary>
    public void ForgetSilo(string silo)
    {
        foreach (var entry in _live.Where(e => e.Value == silo).ToList())
        {
            _live.TryRemove(entry);
        }
    }

    /// <summary>Where <paramref name="key"/> is live now, or null.</summary>
    public string? SiloOf(string key) => _live.GetValueOrDefault(key);
}
