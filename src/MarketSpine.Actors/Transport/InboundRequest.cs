namespace MarketSpine.Actors.Transport;

/// <summary>
/// A request read off a connection, queued to the thread pool so its handler runs concurrently with
/// the other requests of the connection and never holds up the read loop.
/// </summary>
internal sealed class InboundRequest(TcpConnection connection, long correlationId, byte[] payload) : IThreadPoolWorkItem
{
    public void Execute() => _ = connection.ServeAsync(correlationId, payload);
}
