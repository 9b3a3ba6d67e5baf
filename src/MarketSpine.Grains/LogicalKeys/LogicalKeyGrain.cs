using MarketSpine.Actors.Grains;
using MarketSpine.Actors.State;
using MarketSpine.Core.Execution;
using MarketSpine.Grains.Executions;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.LogicalKeys;

[GrainType("logical-key")]
public sealed partial class LogicalKeyGrain([PersistentState("logical-key")] IPersistentState<LogicalKeyState> key) : Grain, ILogicalKeyGrain
{
    /// <summary>Tries of a notice to a new holder: waits of 1, 2, 4 and 8 s between them.</summary>
    private const int NotifyAttempts = 5;

    public async Task<KeyAcquisition> AcquireAsync(string executionId, KeyPolicy policy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executionId);
        var state = key.State;
        if (state.Holder == executionId)
        {
            return new KeyAcquisition(KeyAcquisitionResult.Granted, executionId, 0);
        }

        var position = state.Waiters.IndexOf(executionId);
        if (position >= 0)
        {
            return new KeyAcquisition(KeyAcquisitionResult.Queued, state.Holder, position + 1);
        }

        if (state.Holder is null)
        {
            state.Holder = executionId;
            state.HeldSince = TimeProvider.GetUtcNow();
            await PersistAsync();
            return new KeyAcquisition(KeyAcquisitionResult.Granted, executionId, 0);
        }

        switch (policy)
        {
            case KeyPolicy.Skip:
                return new KeyAcquisition(KeyAcquisitionResult.Skipped, state.Holder, 0);
            case KeyPolicy.Reject:
                return new KeyAcquisition(KeyAcquisitionResult.Rejected, state.Holder, 0);
            default:
                state.Waiters.Add(executionId);
                await PersistAsync();
                return new KeyAcquisition(KeyAcquisitionResult.Queued, state.Holder, state.Waiters.Count);
        }
    }

    public async Task ReleaseAsync(string executionId)
    {
        var state = key.State;
        if (state.Holder != executionId)
        {
            if (state.Waiters.Remove(executionId))
            {
                await PersistAsync();
            }

            return;
        }

        var next = state.Waiters.Count > 0 ? state.Waiters[0] : null;
        if (next is not null)
        {
            state.Waiters.RemoveAt(0);
        }

        state.Holder = next;
        state.HeldSince = next is null ? null : TimeProvider.GetUtcNow();
        if (next is null && state.Waiters.Count == 0)
        {
            await PersistAsync(clear: true);
            DeactivateOnIdle();
            return;
        }

        await PersistAsync();

        // Not awaited: the new holder may at this moment be calling this grain (asking again from its
        // watchdog), and waiting on it here would close a cycle. Sent outside this call's chain too:
        // the holder asks this grain again at once, and a chain still running this turn would be
        // reported as a deadlock. A lost notice is repaired by the holder's watchdog, which asks again.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => NotifyAsync(next!));
        }
    }

    public Task<LogicalKeyView> GetAsync() =>
        Task.FromResult(new LogicalKeyView(GrainKey, key.State.Holder, key.State.HeldSince, [.. key.State.Waiters]));

    /// <summary>
    /// Stores the state as changed in memory. When that fails the memory is ahead of the store, so this
    /// activation goes, and the next reads what is stored.
    /// </summary>
    private async Task PersistAsync(bool clear = false)
    {
        try
        {
            await (clear ? key.ClearStateAsync() : key.WriteStateAsync());
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Tells the new holder, trying again a few times over some fifteen seconds: a holder on a silo
    /// that died is unreachable until the silo is declared dead (seconds), and meanwhile the key
    /// would idle. The notice is idempotent, so one that got through but looked failed does no harm.
    /// </summary>
    private async Task NotifyAsync(string executionId)
    {
        var grain = GrainFactory.GetGrain<IExecutionGrain>(executionId);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grain.OnKeyGrantedAsync(GrainKey);
                return;
            }
            catch (Exception exception) when (attempt < NotifyAttempts)
            {
                LogNotifyRetry(Logger, exception, GrainKey, executionId, attempt);
            }
            catch (Exception exception)
            {
                LogNotifyFailed(Logger, exception, GrainKey, executionId);
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), TimeProvider);
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Logical key {Key} could not tell execution {ExecutionId} that it holds the key now; its watchdog will ask again")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, string key, string executionId);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Logical key {Key} could not tell execution {ExecutionId} that it holds the key now (try {Attempt}); trying again")]
    private static partial void LogNotifyRetry(ILogger logger, Exception exception, string key, string executionId, int attempt);
}
