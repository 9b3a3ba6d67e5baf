using System.Collections.Concurrent;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Directory;

/// <summary>
/// Group commit for directory registrations: registrations that arrive while a batch is in flight
/// wait and go together in the next statement, so a silo activating many grains at once pays one
/// round trip and one statement per batch instead of one per grain, while a lone registration goes
/// out at once. One batch is in flight at a time per silo; under load the batch grows by itself.
/// </summary>
internal sealed class RegistrationBatcher(
    Func<IReadOnlyList<GrainAddress>, CancellationToken, Task<IReadOnlyDictionary<GrainId, GrainAddress>>> registerBatch, int maxBatch)
{
    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _flushing;

    /// <summary>The grain's live registration after this round (this address if it won), or null when the round saw none.</summary>
    public Task<GrainAddress?> RegisterAsync(GrainAddress address)
    {
        var pending = new Pending(address);
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _flushing, 1, 0) == 0)
        {
            // Off the caller's context: the flush serves every activation of the silo, not the one
            // whose turn happened to start it.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(FlushAsync);
            }
        }

        return pending.Completion.Task;
    }

    private async Task FlushAsync()
    {
        while (true)
        {
            var batch = new List<Pending>();
            var grains = new HashSet<GrainId>();
            List<Pending>? later = null;
            while (batch.Count < maxBatch && _queue.TryDequeue(out var pending))
            {
                // Two registrations of one grain cannot share a statement (an upsert touches a row once).
                if (grains.Add(pending.Address.Grain))
                {
                    batch.Add(pending);
                }
                else
                {
                    (later ??= []).Add(pending);
                }
            }

            foreach (var pending in later ?? [])
            {
                _queue.Enqueue(pending);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref _flushing, 0);
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _flushing, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            try
            {
                var registered = await registerBatch([.. batch.Select(p => p.Address)], CancellationToken.None);
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetResult(registered.GetValueOrDefault(pending.Address.Grain));
                }
            }
            catch (Exception exception)
            {
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(exception);
                }
            }
        }
    }

    private sealed class Pending(GrainAddress address)
    {
        public GrainAddress Address { get; } = address;

        public TaskCompletionSource<GrainAddress?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
