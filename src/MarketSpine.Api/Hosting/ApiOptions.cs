namespace MarketSpine.Api.Hosting;

/// <summary>The API's limits: what one request may ask of the server.</summary>
public sealed class ApiOptions
{
    /// <summary>The largest request body accepted; larger ones are refused with <c>PAYLOAD_TOO_LARGE</c> (413).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Rows per page when the request names no <c>limit</c>.</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>The most rows one page may ask for.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>How long <c>Prefer: wait=N</c> may hold a request at most; longer waits are cut to this.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Event and log streams open at once; one more is refused with <c>RATE_LIMITED</c> (429).</summary>
    public int MaxEventStreams { get; set; } = 256;

    /// <summary>How often a live stream looks for new events or log lines.</summary>
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a quiet stream sends a comment, so proxies do not close it as idle.</summary>
    public TimeSpan StreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    public void Validate()
    {
        if (MaxRequestBodyBytes < 1024 || DefaultPageSize < 1 || MaxPageSize < DefaultPageSize || MaxWait < TimeSpan.Zero || MaxEventStreams < 1
            || StreamPollInterval <= TimeSpan.Zero || StreamHeartbeat <= TimeSpan.Zero)
        {
            throw new ArgumentException("ApiOptions: the body limit is at least 1 KiB, page sizes and the stream limit are positive (default ≤ max), waits and intervals are positive.");
        }
    }
}
