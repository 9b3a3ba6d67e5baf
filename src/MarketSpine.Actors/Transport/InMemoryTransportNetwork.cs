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
    private readonly ConcurrentDictionary<IPEndPoint, IRequestHandler> _members = new();
    private int _nextPort = 40_000;

    public IMessageTransport CreateTransport() => new Member(this);

    private sealed class Member(InMemoryTransportNetwork network) : IMessageTransport
    {
        public IPEndPoint? LocalEndpoint { get; private set; }

        public Task StartAsync(IPEndPoint bind, IRequestHandler handler, CancellationToken cancellationToken)
        {
            var endpoint = bind.Port == 0 ? new IPEndPoint(bind.Address, Interlocked.Increment(ref network._nextPort)) : bind;
            if (!network._members.TryAdd(endpoint, handler))
            {
                throw new InvalidOperationException($"{endpoint} is already taken in this in-memory network.");
            }

            LocalEndpoint = endpoint;
            return Task.CompletedTask;
        }

        public async Task<byte[]> SendAsync(IPEndPoint peer, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
        {
            if (!network._members.TryGetValue(peer, out var handler))
            {
                throw new TransportException(peer, "no such peer in the in-memory network (stopped or never started).");
            }

            // A copy, so neither side can observe the other's buffer afterwards, as over a socket;
            // a handler's failure arrives as it does over TCP, not as the handler's own exception.
            byte[] response;
            try
            {
                response = await handler.HandleAsync(request.ToArray(), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new RemoteHandlerException(peer, exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
            }

            return [.. response];
        }

        public ValueTask DisposeAsync()
        {
            if (LocalEndpoint is { } endpoint)
            {
                network._members.TryRemove(endpoint, out _);
            }

            return ValueTask.CompletedTask;
        }
    }
}
