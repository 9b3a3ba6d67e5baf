using MarketSpine.Actors.Transport;

namespace MarketSpine.Actors.Tests.Transport;

/// <summary>A request handler made of a function, counting the requests that reached it.</summary>
public sealed class TestHandler(Func<byte[], CancellationToken, Task<byte[]>> respond) : IRequestHandler
{
    public CountSignal Received { get; } = new();

    /// <summary>Answers every request with itself.</summary>
    public static TestHandler Echo() => new((request, _) => Task.FromResult(request));

    public async ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        Received.Signal();
        return await respond(request.ToArray(), cancellationToken);
    }
}
