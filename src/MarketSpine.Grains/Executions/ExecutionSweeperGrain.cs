using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;
using MarketSpine.Core.Execution;
using MarketSpine.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// The safety net under executions that have no watchdog. An execution writes its watchdog reminder
/// only when it needs one from the start (see <see cref="ExecutionGrain"/>): registering and removing
/// a reminder per execution was two of the five statements an execution cost, and most end within
/// a second. So a silo that dies leaves some executions unfinished with no reminder to bring them
/// back. Every <see cref="ExecutionOptions.WatchdogPeriod"/> this grain lists the unfinished
/// executions that have gone a period without a change and without a watchdog, and asks each one's
/// grain to watch itself (<see cref="IExecutionGrain.WatchAsync"/>), which finds a dead silo's attempt
/// orphaned. A healthy execution that is merely long gets its watchdog the same way, once. One sweeper
/// per database (its key is fixed); each process registers its reminder before its first submission
/// (<see cref="Dispatch.ExecutionDispatcher"/>), and the reminder outlives every silo.
/// </summary>
[GrainType("execution-sweeper")]
public sealed partial class ExecutionSweeperGrain(IExecutionStore store, ExecutionOptions options) : Grain, IExecutionSweeperGrain
{
    /// <summary>The sweeper's key: one per database.</summary>
    public const string Key = "executions";

    private const string Sweep = "sweep";

    /// <summary>The most executions one sweep takes on; more wait for the next sweep, a period later.</summary>
    private const int MaxPerSweep = 1_000;

    /// <summary>How many executions are asked at once: each one writes twice, and the silo's other work goes on.</summary>
    private const int AtOnce = 32;

    public async Task EnsureAsync()
    {
        if (await GetReminderAsync(Sweep) is null)
        {
            var period = options.WatchdogPeriod;
            await RegisterOrUpdateReminderAsync(Sweep, new PeriodicSchedule(TimeProvider.GetUtcNow() + period, period), MissedTickPolicy.Skip);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var unwatched = await store.ListUnwatchedAsync(TimeProvider.GetUtcNow() - options.WatchdogPeriod, MaxPerSweep, CancellationToken.None);
        if (unwatched.Count > 0)
        {
            LogSweeping(Logger, unwatched.Count);
        }

        foreach (var batch in unwatched.Chunk(AtOnce))
        {
            await Task.WhenAll(batch.Select(WatchAsync));
        }
    }

    private async Task WatchAsync(string executionId)
    {
        try
        {
            await GrainFactory.GetGrain<IExecutionGrain>(executionId).WatchAsync();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Its silo is dead but not declared so yet, say: the next sweep asks again.
            LogWatchFailed(Logger, exception, executionId);
        }
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "{Count} unfinished execution(s) without a watchdog for a period: giving each one")]
    private static partial void LogSweeping(ILogger logger, int count);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Execution {ExecutionId} could not be given its watchdog; the next sweep tries again")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string executionId);
}
