using System.Collections.Concurrent;

namespace MarketSpine.Grains.Tests.Pipelines;

/// <summary>
/// Shared by a test and the pipelines it runs (a singleton of every silo's services): which
/// executions started, how many attempts each made, and, per logical key, the order in which
/// executions entered and whether two were ever inside at once.
/// </summary>
public sealed class PipelineProbe
{
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyTrace> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _overlaps = new();

    /// <summary>Every time two executions of one key were inside a pipeline at once.</summary>
    public IReadOnlyCollection<string> Overlaps => _overlaps;

    /// <summary>Counts an attempt of <paramref name="executionId"/>; returns its number, from 1.</summary>
    public int CountAttempt(string executionId) => _attempts.AddOrUpdate(executionId, 1, static (_, n) => n + 1);

    public int AttemptsOf(string executionId) => _attempts.GetValueOrDefault(executionId);

    public void Started(string executionId) => Source(executionId).TrySetResult();

    /// <summary>Completes once a pipeline of <paramref name="executionId"/> has started.</summary>
    public Task WaitForStartAsync(string executionId) => Source(executionId).Task.WaitAsync(TimeSpan.FromSeconds(20));

    public void Enter(string key, string executionId)
    {
        lock (_keys)
        {
            if (!_keys.TryGetValue(key, out var trace))
            {
                _keys[key] = trace = new KeyTrace();
            }

            trace.Starts.Add(executionId);
            if (trace.Inside is { } other)
            {
                _overlaps.Enqueue($"{executionId} started on key {key} while {other} ran");
            }

            trace.Inside = executionId;
        }
    }

    public void Exit(string key, string executionId)
    {
        lock (_keys)
        {
            var trace = _keys[key];
            if (trace.Inside == executionId)
            {
                trace.Inside = null;
            }
        }
    }

    /// <summary>The executions that entered a pipeline with <paramref name="key"/>, in order.</summary>
    public IReadOnlyList<string> StartsOf(string key)
    {
        lock (_keys)
        {
            return _keys.TryGetValue(key, out var trace) ? [.. trace.Starts] : [];
        }
    }

    private TaskCompletionSource Source(string executionId) =>
        _started.GetOrAdd(executionId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class KeyTrace
    {
        public List<string> Starts { get; } = [];

        public string? Inside { get; set; }
    }
}
