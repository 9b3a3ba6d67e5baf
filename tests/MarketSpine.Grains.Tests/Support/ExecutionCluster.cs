using System.Net;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Transport;
using MarketSpine.Grains.Hosting;
using MarketSpine.Grains.Tests.Pipelines;
using MarketSpine.Storage.Executions;
using MarketSpine.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Grains.Tests.Support;

/// <summary>
/// Silos in one process, as the runtime's own test cluster builds them: each with its own service
/// provider, connection pool and member of an <see cref="InMemoryTransportNetwork"/>, all sharing a
/// fresh PostgreSQL database (executions, grain state, reminders, membership, directory) migrated by
/// the production migrations, and one <see cref="PipelineProbe"/>. Time is real: failure detection is
/// measured in real seconds. <see cref="KillAsync"/> is a crash: the silo's network and database
/// connections vanish at once, without a goodbye to the membership; <see cref="StopAsync"/> a clean stop.
/// </summary>
public sealed class ExecutionCluster : IAsyncDisposable
{
    private readonly List<ClusterMember> _members = [];
    private readonly Action<ExecutionOptions>? _configure;
    private PostgresBackend? _backend;
    private int _lastMember;

    private ExecutionCluster(Action<ExecutionOptions>? configure) => _configure = configure;

    public InMemoryTransportNetwork Network { get; } = new();

    public PipelineProbe Probe { get; } = new();

    public LogCollector Logs { get; } = new();

    /// <summary>The test's own connections, to look at the tables.</summary>
    public PostgresBackend Backend => _backend!;

    public IReadOnlyList<ClusterMember> Members
    {
        get
        {
            lock (_members)
            {
                return [.. _members];
            }
        }
    }

    public static async Task<ExecutionCluster> StartAsync(int silos, Action<ExecutionOptions>? configure = null)
    {
        var cluster = new ExecutionCluster(configure);
        try
        {
            cluster._backend = await PostgresBackend.CreateAsync();
            for (var i = 0; i < silos; i++)
            {
                await cluster.StartMemberAsync();
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

    public async Task<ClusterMember> StartMemberAsync()
    {
        var name = $"silo-{Interlocked.Increment(ref _lastMember)}";
        var dataSource = Backend.NewDataSource();
        var transport = Network.CreateTransport();
        var services = new ServiceCollection();
        ExecutionSilo.AddServices(services, Probe, Logs, new SqlExecutionStore(new PostgresSpineDatabase(dataSource)), _configure);
        services.AddMarketSpineActors(silo => silo
            .AddExecutionGrains()
            .UsePostgresStorage(dataSource)
            .UsePostgresReminders(dataSource)
            .UsePostgresClustering(dataSource)
            .UseTransport(_ => transport)
            .Configure(options =>
            {
                ExecutionSilo.Configure(options);
                options.SiloName = name;
                options.Cluster.ListenEndpoint = new IPEndPoint(IPAddress.Loopback, 0);
            }));
        var member = new ClusterMember(name, services.BuildServiceProvider(), dataSource, transport);
        lock (_members)
        {
            _members.Add(member);
        }

        await member.Silo.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return member;
    }

    /// <summary>Until every running silo sees every other one active, a silo would not place grains on the ones it has not seen.</summary>
    public Task WaitForMembershipAsync()
    {
        var running = Members.Where(m => !m.Silo.Stopped.IsCompleted).ToList();
        return Eventually.TrueAsync(
            () => Task.FromResult(running.All(m => running.All(other =>
                m.Silo.Members.Any(entry => entry.Address == other.Silo.Address && entry.Status == SiloStatus.Active)))),
            TimeSpan.FromSeconds(30), "every silo sees every other one active");
    }

    /// <summary>A clean stop, as SIGTERM makes one: the silo hands its grains on and leaves the membership.</summary>
    public async Task StopAsync(ClusterMember member)
    {
        if (!Members.Contains(member))
        {
            throw new ArgumentException($"{member?.Name} is not a silo of this cluster.", nameof(member));
        }

        await member.Silo.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// A crash: the silo drops off the network and loses its database connections at once. Its process
    /// lives on (turns and pipelines under way run to their next database write, which fails) until it
    /// finds it cannot renew its heartbeat and stops, as a partitioned process would.
    /// </summary>
    public async Task KillAsync(ClusterMember member)
    {
        if (!Members.Contains(member))
        {
            throw new ArgumentException($"{member?.Name} is not a silo of this cluster.", nameof(member));
        }

        await member.Transport.DisposeAsync();
        await member.DataSource.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Members.Select(m => m.DisposeAsync().AsTask()));
        if (_backend is not null)
        {
            await _backend.DisposeAsync();
        }
    }
}
