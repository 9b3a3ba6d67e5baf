using System.Collections.Concurrent;
using MarketSpine.Core.Execution;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// The logger a pipeline gets during an attempt: every line goes to the host's logs (with the
/// execution id in scope) and, from Information up, to the execution's stored log, written in
/// batches every <see cref="FlushInterval"/> so a chatty pipeline costs a few inserts a second.
/// </summary>
internal sealed class ExecutionLogCapture : ILogger, IAsyncDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);

    private readonly ILogger _inner;
    private readonly IExecutionStore _store;
    private readonly string _executionId;
    private readonly int _attempt;
    private readonly int _keep;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<ExecutionLogLine> _pending = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Started by the first line: most attempts of short pipelines write none.</summary>
    private Task? _flusher;

    public ExecutionLogCapture(ILogger inner, IExecutionStore store, string executionId, int attempt, int keep, TimeProvider time)
    {
        _inner = inner;
        _store = store;
        _executionId = executionId;
        _attempt = attempt;
        _keep = keep;
        _time = time;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information || _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _inner.Log(logLevel, eventId, state, exception, formatter);
        if (logLevel < LogLevel.Information || logLevel == LogLevel.None)
        {
            return;
        }

        var message = formatter(state, exception);
        if (exception is not null)
        {
            message = $"{message} ({exception.GetType().Name}: {exception.Message})";
        }

        if (_stop.IsCancellationRequested)
        {
            // The attempt ended (an abandoned pipeline talking on): the host's log has the line.
            return;
        }

        _pending.Enqueue(new ExecutionLogLine(_executionId, 0, _time.GetUtcNow(), _attempt, logLevel.ToString().ToLowerInvariant(), message));
        if (Volatile.Read(ref _flusher) is null)
        {
            var flusher = new Task<Task>(FlushLoopAsync);
            if (Interlocked.CompareExchange(ref _flusher, flusher.Unwrap(), null) is null)
            {
                flusher.Start(TaskScheduler.Default);
            }
        }
    }

    /// <summary>Stops the batching and writes what is left.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (Volatile.Read(ref _flusher) is { } flusher)
        {
            await flusher;
        }

        // _stop is not disposed: an abandoned pipeline may still log, and so read it, after the attempt ended.
        await FlushAsync(CancellationToken.None);
    }

    private async Task FlushLoopAsync()
    {
        using var timer = new PeriodicTimer(FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                // Not cancelled by the end of the attempt: a batch already taken from the queue would be lost
                // (the attempt's last lines, which a log stream shows last). DisposeAsync waits for it.
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The attempt ended; DisposeAsync writes the rest.
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = new List<ExecutionLogLine>();
        while (batch.Count < 1_000 && _pending.TryDequeue(out var line))
        {
            batch.Add(line);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await _store.AppendLogsAsync(_executionId, batch, _keep, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A stored log is a convenience; losing a batch must not fail the run. The host's log has every line.
            _inner.LogWarning(exception, "Could not store {Count} log lines of execution {ExecutionId}", batch.Count, _executionId);
        }
    }
}
