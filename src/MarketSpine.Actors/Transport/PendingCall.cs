namespace MarketSpine.Actors.Transport;

/// <summary>
/// A request on a <see cref="TcpConnection"/> waiting for its response. Completed by the read loop,
/// failed when the connection closes, or abandoned when the caller cancels (a response arriving
/// later finds no entry and is dropped). Continuations run asynchronously so no caller's code runs
/// on the read loop.
/// </summary>
internal sealed class PendingCall(TcpConnection connection, long correlationId)
    : TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public void Abandon(CancellationToken cancellationToken)
    {
        connection.Forget(correlationId);
        TrySetCanceled(cancellationToken);
    }
}
