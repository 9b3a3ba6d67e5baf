using System.Net;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// Moves opaque request and response payloads between processes (silo to silo, client to
/// gateway silo). The runtime puts its invocation envelopes in the payloads; the transport only
/// frames, multiplexes and correlates them. Implementations keep one connection per pair of
/// processes, carrying the calls of both, and fail fast when a peer is gone:
/// <see cref="TransportException"/>, never a hang.
/// </summary>
public interface IMessageTransport : IAsyncDisposable
{
    /// <summary>Where this process accepts requests; null until started, or for a send-only client.</summary>
    IPEndPoint? LocalEndpoint { get; }

    /// <summary>
    /// Starts accepting requests on <paramref name="bind"/> (port 0 picks a free one) and serving them
    /// with <paramref name="handler"/>, also when they come on connections this process opened.
    /// <paramref name="advertised"/> is where peers reach this process when that is not the bound
    /// endpoint (a silo binds 0.0.0.0 and advertises its pod IP); null means the bound endpoint. A
    /// transport that is never started is a client: it sends, and nothing can call it.
    /// </summary>
    Task StartAsync(IPEndPoint bind, IPEndPoint? advertised, IRequestHandler handler, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a request to <paramref name="peer"/> and returns its response payload. Throws
    /// <see cref="TransportException"/> when the peer cannot be reached or drops the connection
    /// before answering, <see cref="RemoteHandlerException"/> when the peer's handler failed, and
    /// <see cref="OperationCanceledException"/> when the token is cancelled (the caller's call
    /// timeout). Cancelling only stops the wait: the peer's handler is not told.
    /// </summary>
    Task<byte[]> SendAsync(IPEndPoint peer, ReadOnlyMemory<byte> request, CancellationToken cancellationToken);

    /// <summary>The transport's totals so far: connections, traffic, requests sent and served, calls pending.</summary>
    TransportStatistics GetStatistics();
}
