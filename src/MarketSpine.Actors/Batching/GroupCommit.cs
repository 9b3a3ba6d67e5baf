using System.Collections.Concurrent;

namespace MarketSpine.Actors.Batching;

/// <summary>
/// Group commit for a table's writes: writes that arrive while a batch is in flight wait and go
/// together in the next statement, so a silo making hundreds of them a second pays one round trip per
/// batch instead of one per write, while a lone write goes out at once. One batch is in flight at a
/// time; under load the batch grows by itself. Writes with the same <c>conflictKey</c> never share a
/// batch (an upsert touches a row once per statement): the later one waits for the next. Public for
/// the application's own tables (the execution grains' writes) as well as the runtime's; reads by key
/// batch the same way (one SELECT of many keys), so it serves them too.
/// </summary>
/// <param name="writeBatch">Writes a batch in one statement and answers each item, in order.</param>
/// <param name="maxBatch">The most items one statement carries.</param>
/// <param name="conflictKey">The row an item writes, when two items of one batch could write the same one.</param>
public sealed class GroupCommit<TItem, TResult>(
    Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> writeBatch, int maxBatch, Func<TItem, object>? conflictKey = null)
{
    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _flushing;

    /// <summary>The answer for <paramref name="item"/>; faults when its batch's statement failed.</summary>
    public Task<TResult> WriteAsync(TItem item)
    {
        var pending = new Pending(item);
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _flushing, 1, 0) == 0)
        {
            // Off the caller's context: the flush serves every writer of the silo, not the one that started it.
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
            var batch = TakeBatch();
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

    private List<Pending> TakeBatch()
    {
        var batch = new List<Pending>();
        var keys = conflictKey is null ? null : new HashSet<object>();
        List<Pending>? later = null;
        while (batch.Count < maxBatch && _queue.TryDequeue(out var pending))
        {
            if (keys is null || keys.Add(conflictKey!(pending.Item)))
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

        return batch;
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
