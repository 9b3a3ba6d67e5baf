using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Transport;
using MarketSpine.Grains.Dispatch;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketSpine.Grains.Tests.Support;

/// <summary>
/// One silo of an <see cref="ExecutionCluster"/>, with what a process of its own would have: its
/// service provider (dispatcher, lane pools, store), its connection pool and its transport member.
/// </summary>
public sealed class ClusterMember(string name, ServiceProvider provider, NpgsqlDataSource dataSource, IMessageTransport transport) : IAsyncDisposable
{
    public string Name { get; } = name;

    public Silo Silo { get; } = provider.GetRequiredService<Silo>();

    public ExecutionDispatcher Dispatcher { get; } = provider.GetRequiredService<ExecutionDispatcher>();

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public IMessageTransport Transport { get; } = transport;

    public async ValueTask DisposeAsync()
    {
        await Silo.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));
        await provider.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
