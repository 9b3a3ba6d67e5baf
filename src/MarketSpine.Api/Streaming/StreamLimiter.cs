using MarketSpine.Api.Hosting;

namespace MarketSpine.Api.Streaming;

/// <summary>Counts the event and log streams open at once, against <see cref="ApiOptions.MaxEventStreams"/>.</summary>
public sealed class StreamLimiter(ApiOptions options)
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    /// <summary>Takes a slot; false when every slot is taken. Release it with <see cref="Exit"/>.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _open) <= options.MaxEventStreams)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _open);
}
