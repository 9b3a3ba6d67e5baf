using MarketSpine.Actors.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Actors.Tests.Transport;

public sealed class TcpMessageTransportContractTests : MessageTransportContract
{
    protected override IMessageTransport NewTransport() => new TcpMessageTransport(new TcpTransportOptions(), NullLogger<TcpMessageTransport>.Instance);
}
