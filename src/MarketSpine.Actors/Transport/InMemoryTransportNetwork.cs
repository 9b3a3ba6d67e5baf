using System.Collections.Concurrent;
using System.Net;

namespace MarketSpine.Actors.Transport;

/// <summary>
/// Transports joined in one process, for clusters of silos inside one test: requests go straight
/// to the peer's handler with copied payloads. Stopping a member makes sends to it fail as a dead
/// peer does over TCP.
/// </summary>
public sealed class InMemoryTransportNetwork
{
    private static readonly IReadOnlyDictionary<string, long> NoneClosed = new Dictionary<string, long>(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<IPEndPoint, Member> _members = new();
    private int _nextPort = 40_000;

    public IMessageTransport CreateTransport() => new Member(this);

    private sealed class Member(InMemoryTransportNetwork network) : IMessageTransport
    {
        private IRequestHandler? _handler;
        private IPEndPoint? _reachedAt;

        // What this member can count without connections: each payload is one frame.
        private long _bytesSent;
        private long _bytesReceived;
        private long _requestsSent;
        private long _requestsServed;
        private long _responsesReceived;
        private int _pending;

        public IPEndPoint? LocalEndpoint { get; private set; }

        public Task StartAsync(IPEndPoint bind, IPEndPoint? advertised, IRequestHandler handler, CancellationToken cancellationToken)
        {
            var endpoint = bind.Port == 0 ? new IPEndPoint(bind.Address, Interlocked.Increment(ref network._nextPort)) : bind;
            var reachedAt = advertised ?? endpoint;
            _handler = handler;
            if (!network._members.TryAdd(reachedAt, this))
            {
                throw new InvalidOperationException($"{reachedAt} is already taken in this in-memory network.");
            }

            _reachedAt = reachedAt;
            LocalEndpoint = endpoint;
            return Task.CompletedTask;
        }

        public async Task<byte[]> SendAsync(IPEndPoint peer, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
        {
            if (!network._members.TryGetValue(peer, out var member) || member._handler is not { } handler)
            {
                throw new TransportException(peer, "no such peer in the in-memory network (stopped or never started).");
            }

            Interlocked.Increment(ref _requestsSent);
            Interlocked.Add(ref _bytesSent, request.Length);
            Interlocked.Add(ref member._bytesReceived, request.Length);
            Interlocked.Increment(ref _pending);
            try
            {
                // A copy, so neither side can observe the other's buffer afterwards, as over a socket;
                // a handler's failure arrives as it does over TCP, not as the handler's own exception.
                // Cancelling stops the wait whether or not the handler heeds the token, as over TCP. The
                // sender goes on on a pool thread, as over TCP, not on the thread where the handler
                // finished (a silo's handler finishes where the grain's turn ends).
                byte[] response;
                try
                {
                    response = await handler.HandleAsync(request.ToArray(), cancellationToken).AsTask().WaitAsync(cancellationToken)
                        .ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref member._requestsServed);
                    Interlocked.Increment(ref _responsesReceived);
                    throw new RemoteHandlerException(peer, exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
                }

                Interlocked.Increment(ref member._requestsServed);
                Interlocked.Increment(ref _responsesReceived);
                Interlocked.Add(ref member._bytesSent, response.Length);
                Interlocked.Add(ref _bytesReceived, response.Length);
                return [.. response];
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }

        public TransportStatistics GetStatistics()
        {
            var requestsSent = Volatile.Read(ref _requestsSent);
            var requestsServed = Volatile.Read(ref _requestsServed);
            return new TransportStatistics(
                OpenConnections: 0,
                ConnectionsOpened: 0,
                NoneClosed,
                Volatile.Read(ref _bytesSent),
                Volatile.Read(ref _bytesReceived),
                FramesSent: requestsSent + requestsServed,
                FramesReceived: Volatile.Read(ref _responsesReceived) + requestsServed,
                requestsSent,
                requestsServed,
                Volatile.Read(ref _pending));
        }

        public ValueTask DisposeAsync()
        {
            if (_reachedAt is { } endpoint)
            {
                network._members.TryRemove(endpoint, out _);
            }

            return ValueTask.CompletedTask;
        }
    }
}
