using MarketSpine.Actors.Transport;

namespace MarketSpine.Actors.Benchmarks.Transport;

/// <summary>Answers every request with itself: the benchmark measures the transport, not a handler.</summary>
public sealed class EchoHandler : IRequestHandler
{
    public ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken) => ValueTask.FromResult(request.ToArray());
}
