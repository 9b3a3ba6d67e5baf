using System.Net;
using MarketSpine.Actors.Client;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Transport;
using MarketSpine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// A cluster in one process, as Orleans' TestingHost builds one: silos each with their own service
/// provider, connection pool and transport member, sharing a fresh PostgreSQL database (membership,
/// directory and grain state, created by the production migrations) and an
/// <see cref="InMemoryTransportNetwork"/>. Time is real, since failure detection is measured in real
/// seconds against a real database; each silo's <see cref="PausableClock"/> lets a test freeze it.
/// <list type="bullet">
/// <item><see cref="StopSiloAsync"/>: a clean shutdown (SIGTERM).</item>
/// <item><see cref="KillSiloAsync"/>: a crash: the silo vanishes from the network and stops every
/// timer, heartbeats included, at once, without leaving the membership or unregistering its grains.</item>
/// <item><see cref="PauseSilo"/> / <see cref="ResumeSilo"/>: a stalled process (a long GC, a frozen VM):
/// its heartbeats stop, then come back.</item>
/// </list>
/// Every silo hosts every test grain with PostgreSQL storage, and shares one <see cref="Probe"/> and one
/// <see cref="ActivationRegistry"/>; each knows its name through <see cref="SiloTag"/>.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly PostgresDatabase _database = new();
    private readonly List<ClusterSilo> _silos = [];
    private readonly List<(ServiceProvider Provider, NpgsqlDataSource DataSource)> _clients = [];
    private readonly Action<SiloBuilder, NpgsqlDataSource>? _configure;
    private NpgsqlDataSource? _dataSource;
    private int _lastSilo;

    private TestCluster(Action<SiloBuilder, NpgsqlDataSource>? configure) => _configure = configure;

    public InMemoryTransportNetwork Network { get; } = new();

    public Probe Probe { get; } = new();

    public ActivationRegistry Registry { get; } = new();

    /// <summary>The test's own connections, to look at the cluster's tables.</summary>
    public NpgsqlDataSource DataSource => _dataSource!;

    public IReadOnlyList<ClusterSilo> Silos
    {
        get
        {
            lock (_silos)
            {
                return [.. _silos];
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="silos"/> silos on a fresh database; <paramref name="configure"/> adjusts
    /// every silo, given the silo's own connection pool.
    /// </summary>
    public static async Task<TestCluster> StartAsync(int silos, Action<SiloBuilder, NpgsqlDataSource>? configure = null)
    {
        var cluster = new TestCluster(configure);
        try
        {
            await cluster._database.InitializeAsync();
            cluster._dataSource = await Databases.MigratedPostgresAsync(cluster._database);
            for (var i = 0; i < silos; i++)
            {
                await cluster.StartSiloAsync();
            }

            await cluster.WaitForMembershipAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<ClusterSilo> StartSiloAsync()
    {
        var name = $"silo-{Interlocked.Increment(ref _lastSilo)}";
        var clock = new PausableClock();
        var dataSource = NewDataSource();
        var transport = Network.CreateTransport();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(Probe);
        services.AddSingleton(Registry);
        services.AddSingleton(new SiloTag(name));
        services.AddMarketSpineActors(builder =>
        {
            builder.AddGrains(typeof(TestCluster).Assembly)
                .UsePostgresStorage(dataSource)
                .UsePostgresClustering(dataSource)
                .UseTransport(_ => transport)
                .Configure(options =>
                {
                    options.SiloName = name;
                    options.Cluster.ListenEndpoint = new IPEndPoint(IPAddress.Loopback, 0);
                });
            _configure?.Invoke(builder, dataSource);
        });
        var silo = new ClusterSilo(name, services.BuildServiceProvider(), clock, dataSource, transport);
        lock (_silos)
        {
            _silos.Add(silo);
        }

        await silo.Silo.StartAsync(CancellationToken.None).WaitAsync(Probe.WaitLimit);
        return silo;
    }

    /// <summary>
    /// Waits until every running silo sees every other one active (each reads the membership once a
    /// heartbeat), as Orleans' test cluster waits for its membership to stabilize: until then a silo
    /// would not place grains on the silos it has not seen yet.
    /// </summary>
    public Task WaitForMembershipAsync()
    {
        var running = Silos.Where(s => !s.Silo.Stopped.IsCompleted).ToList();
        return Eventually.TrueAsync(
            () => Task.FromResult(running.All(s => running.All(other =>
                s.Silo.Members.Any(m => m.Address == other.Silo.Address && m.Status == SiloStatus.Active)))),
            Probe.WaitLimit, "every silo sees every other one active");
    }

    public Task StopSiloAsync(ClusterSilo silo) => Own(silo).Silo.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

    public async Task KillSiloAsync(ClusterSilo silo)
    {
        Own(silo).Clock.Pause();
        await silo.Transport.DisposeAsync();
        Registry.ForgetSilo(silo.Name);
    }

    public void PauseSilo(ClusterSilo silo) => Own(silo).Clock.Pause();

    public void ResumeSilo(ClusterSilo silo) => Own(silo).Clock.Resume();

    /// <summary>A client process: its own connections and transport member, gateways read from the membership.</summary>
    public async Task<RemoteClusterClient> ConnectClientAsync(Action<ClusterClientOptions>? configure = null)
    {
        var dataSource = NewDataSource();
        var services = new ServiceCollection();
        services.AddMarketSpineClient(client => client
            .UsePostgresClustering(dataSource)
            .UseTransport(_ => Network.CreateTransport())
            .Configure(options => configure?.Invoke(options)));
        var provider = services.BuildServiceProvider();
        lock (_clients)
        {
            _clients.Add((provider, dataSource));
        }

        var client = provider.GetRequiredService<RemoteClusterClient>();
        await client.ConnectAsync(CancellationToken.None);
        return client;
    }

    /// <summary>The status of <paramref name="silo"/>'s row in the membership table.</summary>
    public async Task<string> StatusOfAsync(ClusterSilo silo)
    {
        await using var command = DataSource.CreateCommand("SELECT status FROM cluster_silos WHERE silo_name = $1 AND generation = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Silo.Address.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Silo.Address.Generation });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        Probe.OpenAll();
        await Task.WhenAll(Silos.Select(s => s.DisposeAsync().AsTask()));
        foreach (var (provider, dataSource) in _clients)
        {
            await provider.DisposeAsync();
            await dataSource.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    private ClusterSilo Own(ClusterSilo silo) =>
        Silos.Contains(silo) ? silo : throw new ArgumentException($"{silo.Name} is not a silo of this cluster.", nameof(silo));

    // A pool per process, as separate pods would have; small enough that silos, clients and the
    // test stay under the test server's 300 connections.
    private NpgsqlDataSource NewDataSource() =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { MaxPoolSize = 40 }.ConnectionString);
}
