using System.Collections.Concurrent;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// Shared between a test and its grains (injected as a service): gates the test opens, signals the
/// grains raise, and a log of what happened. Every wait is bounded, so a broken runtime fails the
/// test instead of hanging it.
/// </summary>
public sealed class Probe
{
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Events { get; } = new();

    /// <summary>A task the grain awaits until the test calls <see cref="Open"/>.</summary>
    public Task Gate(string name) => Source(_gates, name).Task;

    public void Open(string name) => Source(_gates, name).TrySetResult();

    public void OpenAll()
    {
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }
    }

    /// <summary>Logs <paramref name="name"/> and completes <see cref="WaitFor"/> of it.</summary>
    public void Record(string name)
    {
        Events.Enqueue(name);
        Source(_signals, name).TrySetResult();
    }

    public Task WaitFor(string name) => Source(_signals, name).Task.WaitAsync(WaitLimit);

    public int Count(string name) => Events.Count(e => e == name);

    private static TaskCompletionSource Source(ConcurrentDictionary<string, TaskCompletionSource> sources, string name) =>
        sources.GetOrAdd(name, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
