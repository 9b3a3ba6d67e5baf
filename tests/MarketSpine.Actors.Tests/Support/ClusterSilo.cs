using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// One silo of a <see cref="TestCluster"/>, with everything a process of its own would have: its
/// service provider, its clock, its connection pool and its transport member.
/// </summary>
public sealed class ClusterSilo(string name, ServiceProvider provider, PausableClock clock, NpgsqlDataSource dataSource, IMessageTransport transport)
    : IAsyncDisposable
{
    public string Name { get; } = name;

    public Silo Silo { get; } = provider.GetRequiredService<Silo>();

    public IGrainFactory Grains => Silo.GrainFactory;

    public PausableClock Clock { get; } = clock;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public IMessageTransport Transport { get; } = transport;

    public async ValueTask DisposeAsync()
    {
        // A killed or paused silo gets its clock back, so that its timeouts bound its stop.
        Clock.Resume();
        await Silo.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await provider.DisposeAsync();
        await DataSource.DisposeAsync();
    }
}
