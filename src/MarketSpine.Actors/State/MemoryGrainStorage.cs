namespace MarketSpine.Actors.State;

/// <summary>Grain states in memory, for tests and single-process use; lost when the process ends.</summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<GrainStateKey, StoredState> _rows = [];

    public Task<StoredState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.GetValueOrDefault(key));
        }
    }

    public Task<string> WriteAsync(GrainStateKey key, string json, string? etag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_rows.GetValueOrDefault(key)?.Etag != etag)
            {
                throw ETags.Stale(key, etag, "write");
            }

            var next = ETags.New();
            _rows[key] = new StoredState(json, next);
            return Task.FromResult(next);
        }
    }

    public Task ClearAsync(GrainStateKey key, string? etag, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_rows.GetValueOrDefault(key)?.Etag != etag)
            {
                throw ETags.Stale(key, etag, "clear");
            }

            _rows.Remove(key);
            return Task.CompletedTask;
        }
    }
}
