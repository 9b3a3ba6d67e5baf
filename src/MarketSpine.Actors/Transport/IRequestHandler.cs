namespace MarketSpine.Actors.Transport;

/// <summary>Serves one request payload with its response payload (the receiving silo's runtime).</summary>
public interface IRequestHandler
{
    ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken);
}
