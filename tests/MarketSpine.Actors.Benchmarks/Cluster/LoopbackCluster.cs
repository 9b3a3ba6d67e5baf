using System.Diagnostics;
using MarketSpine.Actors.Client;
using MarketSpine.Actors.Transport;
using MarketSpine.SiloHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MarketSpine.Testing;
using Npgsql;

namespace MarketSpine.Actors.Benchmarks.Cluster;

/// <summary>
/// Separate <c>spine-silo</c> processes on loopback hosting the sample grains, sharing a fresh
/// database that <c>spine-silo migrate</c> prepared, as a deployment's migration job would; the
/// benchmark calls them through a <see cref="RemoteClusterClient"/> over TCP, as the API will.
/// </summary>
public sealed class LoopbackCluster : IAsyncDisposable
{
    // Each silo process starts cold (JIT) on a two-core machine that may be busy with builds.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    // Copied beside the benchmark by the project reference.
    private const string SiloDll = "spine-silo.dll";

    // Enough for the reason a silo failed to start, bounded however much it logs during a run.
    private const int KeptLines = 200;

    private readonly PostgresDatabase _database;
    private readonly NpgsqlDataSource _dataSource;
    private readonly List<DotnetProcess> _silos = [];
    private ServiceProvider? _client;

    private LoopbackCluster(PostgresDatabase database)
    {
        _database = database;
        _dataSource = NpgsqlDataSource.Create(database.ConnectionString);
    }

    public IReadOnlyList<DotnetProcess> Silos => _silos;

    public RemoteClusterClient Client => _client!.GetRequiredService<RemoteClusterClient>();

    public static async Task<LoopbackCluster> StartAsync(int silos)
    {
        var database = new PostgresDatabase();
        await database.InitializeAsync();
        var cluster = new LoopbackCluster(database);
        try
        {
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
                cluster._silos.Add(DotnetProcess.Start($"silo-{i}", SiloDll, cluster.SiloEnvironment($"silo-{i}"), [], keptLines: KeptLines));
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

    /// <summary>The silo (by name) that the directory names for each of <paramref name="keys"/> of <paramref name="grainType"/> that has a row.</summary>
    public async Task<Dictionary<string, string>> DirectoryAsync(string grainType, IReadOnlyCollection<string> keys)
    {
        await using var command = _dataSource.CreateCommand("SELECT grain_key, silo_name FROM grain_directory WHERE grain_type = $1 AND grain_key = ANY($2)");
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
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM grain_directory WHERE grain_type = $1 AND starts_with(grain_key, $2)");
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

        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Dictionary<string, string> SiloEnvironment(string name) => new(StringComparer.Ordinal)
    {
        [SiloSettings.NameVariable] = name,
        [SiloSettings.EndpointVariable] = "127.0.0.1:0",
        [SiloSettings.PostgresVariable] = _database.ConnectionString,
        [SiloSettings.GrainAssembliesVariable] = typeof(SampleGrains.RelayGrain).Assembly.Location,
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

            await using (var command = _dataSource.CreateCommand("SELECT count(*) FROM cluster_silos WHERE status = 'active'"))
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
