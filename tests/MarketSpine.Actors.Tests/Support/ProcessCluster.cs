using MarketSpine.Actors.Client;
using MarketSpine.Actors.Transport;
using MarketSpine.SiloHost;
using MarketSpine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// A cluster of separate <c>spine-silo</c> processes on loopback, sharing a fresh PostgreSQL database
/// that <c>spine-silo migrate</c> prepared, as a deployment's migration job would; the test talks to it
/// through a <see cref="RemoteClusterClient"/> over TCP, as the API will.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    // Each silo process starts its runtime cold (JIT) on a two-core machine that runs the others too.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    // Copied beside the tests by the project reference.
    private const string SiloDll = "spine-silo.dll";

    private readonly PostgresDatabase _database = new();
    private readonly List<DotnetProcess> _silos = [];
    private ServiceProvider? _client;
    private NpgsqlDataSource? _dataSource;

    private ProcessCluster()
    {
    }

    public IReadOnlyList<DotnetProcess> Silos => _silos;

    /// <summary>The test's own connections, to look at the cluster's tables.</summary>
    public NpgsqlDataSource DataSource => _dataSource!;

    public RemoteClusterClient Client => _client!.GetRequiredService<RemoteClusterClient>();

    public static async Task<ProcessCluster> StartAsync(int silos)
    {
        var cluster = new ProcessCluster();
        try
        {
            await cluster._database.InitializeAsync();
            cluster._dataSource = NpgsqlDataSource.Create(cluster._database.ConnectionString);
            using (var migrate = DotnetProcess.Start("migrate", SiloDll, new Dictionary<string, string> { [SiloSettings.PostgresVariable] = cluster._database.ConnectionString }, ["migrate"]))
            {
                var exit = await migrate.WaitForExitAsync(StartLimit);
                Assert.True(exit == 0, $"spine-silo migrate exited {exit}:{Environment.NewLine}{migrate.Output}");
            }

            for (var i = 1; i <= silos; i++)
            {
                cluster._silos.Add(DotnetProcess.Start($"silo-{i}", SiloDll, SiloEnvironment($"silo-{i}", cluster._database.ConnectionString), []));
            }

            await cluster.WaitForActiveAsync(silos);
            var services = new ServiceCollection();
            services.AddMarketSpineClient(client => client
                .UsePostgresClustering(cluster._dataSource)
                .UseTransport(_ => new TcpMessageTransport(new TcpTransportOptions(), NullLogger<TcpMessageTransport>.Instance)));
            cluster._client = services.BuildServiceProvider();
            await cluster.Client.ConnectAsync(CancellationToken.None);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The status of the newest generation of the silo named <paramref name="name"/>.</summary>
    public async Task<string?> StatusOfAsync(string name)
    {
        await using var command = DataSource.CreateCommand("SELECT status FROM cluster_silos WHERE silo_name = $1 ORDER BY generation DESC LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (string?)await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    private async Task WaitForActiveAsync(int silos)
    {
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                if (_silos.FirstOrDefault(s => s.HasExited) is { } exited)
                {
                    throw new InvalidOperationException($"{exited.Name} exited while starting:{Environment.NewLine}{exited.Output}");
                }

                await using var command = DataSource.CreateCommand("SELECT count(*) FROM cluster_silos WHERE status = 'active'");
                return (long)(await command.ExecuteScalarAsync())! == silos;
            }, StartLimit, $"{silos} silo processes active");
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException(timeout.Message + string.Concat(_silos.Select(s => $"{Environment.NewLine}{s.Name}:{Environment.NewLine}{s.Output}")));
        }
    }

    /// <summary>The environment of a silo named <paramref name="name"/> on loopback at a free port, hosting the sample grains.</summary>
    private static Dictionary<string, string> SiloEnvironment(string name, string postgres) => new(StringComparer.Ordinal)
    {
        [SiloSettings.NameVariable] = name,
        [SiloSettings.EndpointVariable] = "127.0.0.1:0",
        [SiloSettings.PostgresVariable] = postgres,
        [SiloSettings.GrainAssembliesVariable] = typeof(SampleGrains.AccountGrain).Assembly.Location,
    };
}
