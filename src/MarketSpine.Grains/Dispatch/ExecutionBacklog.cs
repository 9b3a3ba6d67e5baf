using System.Globalization;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.Dispatch;

/// <summary>
/// Admission of user submissions against <see cref="ExecutionOptions.MaxBacklog"/>. The backlog (the
/// executions of every silo still waiting to start) is counted in the store at most once per
/// <see cref="ExecutionOptions.BacklogCountInterval"/>, one count at a time; in between, the
/// submissions this process admitted since the count are added to it, so a burst within one interval
/// is bounded too. Another process's burst between two counts is seen at the next count: the bound
/// holds to within what all front ends admit in one interval.
/// </summary>
public sealed partial class ExecutionBacklog(IExecutionStore store, ExecutionOptions options, TimeProvider time, ILogger<ExecutionBacklog> logger)
{
    private readonly long _countInterval = (long)(options.BacklogCountInterval.TotalSeconds * time.TimestampFrequency);
    private readonly Lock _countGate = new();
    private long _counted;
    private long _admittedSinceCount;
    private long _nextCountAt;
    private Task? _firstCount;
    private Task _count = Task.CompletedTask;

    /// <summary>How long a refused client should wait before it tries again: the next count, at least a second.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(options.BacklogCountInterval.TotalSeconds)));

    /// <summary>Admits one submission, or throws <see cref="BusyError"/> (<c>RATE_LIMITED</c>) when the backlog is full.</summary>
    public async ValueTask AdmitAsync(CancellationToken cancellationToken)
    {
        var limit = options.MaxBacklog;
        if (limit == 0)
        {
            return;
        }

        if (time.GetTimestamp() >= Volatile.Read(ref _nextCountAt))
        {
            // A count is due: one starts, which the submissions of the moment do not wait for, except
            // for the first count of the process (none before it knows the backlog).
            Task first;
            lock (_countGate)
            {
                if (_count.IsCompleted && time.GetTimestamp() >= _nextCountAt)
                {
                    // The admissions so far are taken now, before this one's: what is admitted from here on
                    // may not be stored by the time the count reads, so it stays added to the count. The
                    // count runs off the lock and off this submission: on SQLite the "async" count runs synchronously.
                    var admittedBefore = Volatile.Read(ref _admittedSinceCount);
                    _count = Task.Run(() => CountAsync(admittedBefore), CancellationToken.None);
                    _firstCount ??= _count;
                }

                first = _firstCount!;
            }

            await first.WaitAsync(cancellationToken);
        }

        var waiting = Volatile.Read(ref _counted) + Interlocked.Increment(ref _admittedSinceCount) - 1;
        if (waiting >= limit)
        {
            Interlocked.Decrement(ref _admittedSinceCount);
            throw new BusyError(ErrorCodes.RateLimited,
                string.Create(CultureInfo.InvariantCulture,
                    $"{waiting:N0} executions are waiting to start, and this server admits new ones only below {limit:N0}; try again in {RetryAfter.TotalSeconds:0} s."),
                RetryAfter,
                new Dictionary<string, object?> { ["waiting"] = waiting, ["limit"] = limit, ["retry_after_seconds"] = (int)RetryAfter.TotalSeconds });
        }
    }

    private async Task CountAsync(long admittedBefore)
    {
        try
        {
            var counted = await store.CountNotStartedAsync(CancellationToken.None);
            Volatile.Write(ref _counted, counted);
            Interlocked.Add(ref _admittedSinceCount, -admittedBefore);
        }
        catch (Exception exception)
        {
            // The database cannot count now: admission goes on with the last count, and the
            // submission itself meets the database's state (and its retries) on its own.
            LogCountFailed(exception);
        }
        finally
        {
            Volatile.Write(ref _nextCountAt, time.GetTimestamp() + _countInterval);
        }
    }

    [LoggerMessage(EventId = 4060, Level = LogLevel.Warning, Message = "Could not count the executions waiting to start; admitting on the last count")]
    private partial void LogCountFailed(Exception exception);
}
