using System.Diagnostics;
using MarketSpine.Actors.Client;
using MarketSpine.Actors.Transport;
using MarketSpine.SiloHost;
using MarketSpine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MarketSpine.Actors.Testing;

/// <summary>
/// Separate <c>spine-silo</c> processes on loopback hosting the sample grains, sharing a fresh
/// PostgreSQL database that <c>spine-silo migrate</c> prepared, as a deployment's migration job
/// would; callers reach them through a <see cref="RemoteClusterClient"/> over TCP, as the API does.
/// The actor tests' separate-process cluster and the cross-process benchmark's.
/// </summary>
public sealed class SiloProcessCluster : IAsyncDisposable
{
    // Each silo process starts cold (JIT) on a two-core machine that runs the others too.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    // Copied beside the caller by the project reference.
    private const string SiloDll = "spine-silo.dll";

    private readonly PostgresDatabase _database = new();
    private readonly List<DotnetProcess> _silos = [];
    private NpgsqlDataSource? _dataSource;
    private ServiceProvider? _client;

    private SiloProcessCluster()
    {
    }

    public IReadOnlyList<DotnetProcess> Silos => _silos;

    /// <summary>The caller's own connections, to look at the cluster's tables.</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The cluster has not started.");

    public RemoteClusterClient Client => _client?.GetRequiredService<RemoteClusterClient>() ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>Starts <paramref name="silos"/> silos named <c>silo-1</c>... and connects the client once all are active.</summary>
    /// <param name="silos">How many silo processes.</param>
    /// <param name="keptLines">How many of its last output lines each silo keeps for failure messages.</param>
    public static async Task<SiloProcessCluster> StartAsync(int silos, int keptLines = 10_000)
    {
        var cluster = new SiloProcessCluster();
        try
        {
            await cluster._database.InitializeAsync();
            cluster._dataSource = NpgsqlDataSource.Create(cluster._database.ConnectionString);
            using (var migrate = DotnetProcess.Start("migrate", SiloDll, new Dictionary<string, string> { [SiloSettings.PostgresVariable] = cluster._database.ConnectionString }, ["migrate"]))
            {
                var exit = await migrate.WaitForExitAsync(StartLimit);
                if (exit != 0)
                {
                    throw new InvalidOperationException($"spine-silo migrate exited {exit}:{Environment.NewLine}{migrate.Output}");
                }
            }

            for (var i = 1; i <= silos; i++)
            {
                cluster._silos.Add(DotnetProcess.Start($"silo-{i}", SiloDll, cluster.SiloEnvironment($"silo-{i}"), [], keptLines: keptLines));
            }

            await cluster.WaitForActiveAsync(silos);
            var services = new ServiceCollection();
            services.AddMarketSpineClient(client => client
                .UsePostgresClustering(cluster.DataSource)
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

    /// <summary>The silo (by name) that the directory names for each of <paramref name="keys"/> of <paramref name="grainType"/> that has a row.</summary>
    public async Task<Dictionary<string, string>> DirectoryAsync(string grainType, IReadOnlyCollection<string> keys)
    {
        await using var command = DataSource.CreateCommand("SELECT grain_key, silo_name FROM grain_directory WHERE grain_type = $1 AND grain_key = ANY($2)");
        command.Parameters.Add(new NpgsqlParameter { Value = grainType });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.ToArray() });
        var silos = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            silos[reader.GetString(0)] = reader.GetString(1);
        }

        return silos;
    }

    /// <summary>How many grains of <paramref name="grainType"/> whose key starts with <paramref name="prefix"/> the directory holds.</summary>
    public async Task<long> CountRegisteredAsync(string grainType, string prefix)
    {
        await using var command = DataSource.CreateCommand("SELECT count(*) FROM grain_directory WHERE grain_type = $1 AND starts_with(grain_key, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = grainType });
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        return (long)(await command.ExecuteScalarAsync())!;
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

    /// <summary>The environment of a silo named <paramref name="name"/> on loopback at a free port, hosting the sample grains.</summary>
    private Dictionary<string, string> SiloEnvironment(string name) => new(StringComparer.Ordinal)
    {
        [SiloSettings.NameVariable] = name,
        [SiloSettings.EndpointVariable] = "127.0.0.1:0",
        [SiloSettings.PostgresVariable] = _database.ConnectionString,
        [SiloSettings.GrainAssembliesVariable] = typeof(SampleGrains.EchoGrain).Assembly.Location,
    };

    private async Task WaitForActiveAsync(int silos)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (_silos.FirstOrDefault(s => s.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"{exited.Name} exited while starting:{Environment.NewLine}{exited.Output}");
            }

            await using (var command = DataSource.CreateCommand("SELECT count(*) FROM cluster_silos WHERE status = 'active'"))
            {
                if ((long)(await command.ExecuteScalarAsync())! == silos)
                {
                    return;
                }
            }

            if (Stopwatch.GetElapsedTime(started) > StartLimit)
            {
                throw new TimeoutException($"{silos} silos were not active within {StartLimit}:"
                    + string.Concat(_silos.Select(s => $"{Environment.NewLine}{s.Name}:{Environment.NewLine}{s.Output}")));
            }

            await Task.Delay(PollInterval);
        }
    }
}
