using MarketSpine.Actors.Transport;

namespace MarketSpine.Actors.Tests.Transport;

public sealed class InMemoryTransportNetworkContractTests : MessageTransportContract
{
    private readonly InMemoryTransportNetwork _network = new();

    protected override IMessageTransport NewTransport() => _network.CreateTransport();
}
