using System.Collections.Concurrent;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// Group commit for the reminder table's writes (acknowledgements, releases): writes that arrive
/// while a batch is in flight wait and go together in the next statement, so a silo delivering
/// hundreds of ticks a second pays one round trip per batch instead of one per tick, while a lone
/// write goes out at once. One batch is in flight at a time per silo and kind; under load the batch
/// grows by itself. A reminder is written by one delivery at a time, which awaits each write, so a
/// batch never holds two writes of one reminder.
/// </summary>
internal sealed class ReminderWriteBatcher<TItem>(
    Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<bool>>> writeBatch, int maxBatch)
{
    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _flushing;

    /// <summary>The table's answer for <paramref name="item"/>; faults when its batch's statement failed.</summary>
    public Task<bool> WriteAsync(TItem item)
    {
        var pending = new Pending(item);
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _flushing, 1, 0) == 0)
        {
            // Off the caller's context: the flush serves every delivery of the silo, not the one that started it.
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
            while (batch.Count < maxBatch && _queue.TryDequeue(out var pending))
            {
                batch.Add(pending);
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
                var results = await writeBatch([.. batch.Select(p => p.Item)], CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
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

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
