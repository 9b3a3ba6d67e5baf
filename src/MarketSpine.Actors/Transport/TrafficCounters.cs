namespace MarketSpine.Actors.Transport;

/// <summary>
/// The frames and bytes one connection moved, or the sum over a transport's closed connections. Each
/// count has a single writer at a time (the connection's send loop, its read loop, or a sender under
/// its write lock; the transport's lock for the sum), so the hot path pays plain increments, not
/// interlocked ones; readers on other threads take whole 64-bit values with <see cref="Volatile"/>.
/// </summary>
internal sealed class TrafficCounters
{
    // Indexed by FrameKind; a kind outside the table (a protocol error) is not counted.
    private const int KindCount = (int)FrameKind.Hello + 1;

    private readonly long[] _framesSent = new long[KindCount];
    private readonly long[] _framesReceived = new long[KindCount];
    private long _bytesSent;
    private long _bytesReceived;

    public long BytesSent => Volatile.Read(ref _bytesSent);

    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    public long FramesSent => Sum(_framesSent);

    public long FramesReceived => Sum(_framesReceived);

    public long RequestsSent => Volatile.Read(ref _framesSent[(int)FrameKind.Request]);

    /// <summary>Requests answered: responses and error responses written.</summary>
    public long RequestsServed => Volatile.Read(ref _framesSent[(int)FrameKind.Response]) + Volatile.Read(ref _framesSent[(int)FrameKind.ErrorResponse]);

    public void FrameSent(FrameKind kind) => _framesSent[(int)kind]++;

    public void FrameReceived(FrameKind kind)
    {
        if ((int)kind < KindCount)
        {
            _framesReceived[(int)kind]++;
        }
    }

    public void AddBytesSent(long bytes) => _bytesSent += bytes;

    public void AddBytesReceived(long bytes) => _bytesReceived += bytes;

    /// <summary>Adds these counts to <paramref name="total"/>, which only the caller writes meanwhile.</summary>
    public void AddTo(TrafficCounters total)
    {
        total._bytesSent += BytesSent;
        total._bytesReceived += BytesReceived;
        for (var kind = 0; kind < KindCount; kind++)
        {
            total._framesSent[kind] += Volatile.Read(ref _framesSent[kind]);
            total._framesReceived[kind] += Volatile.Read(ref _framesReceived[kind]);
        }
    }

    private static long Sum(long[] counts)
    {
        var sum = 0L;
        for (var kind = 0; kind < counts.Length; kind++)
        {
            sum += Volatile.Read(ref counts[kind]);
        }

        return sum;
    }
}
