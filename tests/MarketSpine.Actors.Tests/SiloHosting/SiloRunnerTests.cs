using MarketSpine.Actors.Client;
using MarketSpine.Actors.Tests.Cluster;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;
using MarketSpine.Actors.Transport;
using MarketSpine.SiloHost;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Postgres;
using MarketSpine.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MarketSpine.Actors.Tests.SiloHosting;

/// <summary>The silo process's host, run in-process on a fresh database, with the real TCP transport.</summary>
[Collection(OneClusterAtATime.Name)]
public sealed class SiloRunnerTests
{
    [PostgresFact]
    public async Task It_refuses_to_start_against_a_schema_that_lacks_its_migrations()
    {
        var database = new PostgresDatabase();
        await database.InitializeAsync();
        try
        {
            var exit = await SiloRunner.RunAsync(Settings(database), [], NullLoggerFactory.Instance, CancellationToken.None).WaitAsync(Probe.WaitLimit);

            Assert.Equal(SiloExitCode.Refused, exit);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [PostgresFact]
    public async Task It_serves_clients_over_tcp_and_leaves_the_cluster_cleanly_when_told_to_stop()
    {
        await using var database = await MigratedAsync();
        using var shutdown = new CancellationTokenSource();
        var run = SiloRunner.RunAsync(Settings(database.Database), [typeof(TroubleGrain).Assembly], NullLoggerFactory.Instance, shutdown.Token);
        await Eventually.TrueAsync(async () => await database.StatusAsync() == "active", Probe.WaitLimit, "the silo is active");

        await using (var clientProcess = await ConnectAsync(database.DataSource))
        {
            var client = clientProcess.GetRequiredService<RemoteClusterClient>();
            await client.GetGrain<ITroubleGrain>("over-tcp").Touch();
            var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetGrain<ITroubleGrain>("over-tcp").ThrowArgument("across the wire"));
            Assert.Equal("across the wire (Parameter 'message')", error.Message);
        }

        await shutdown.CancelAsync();

        Assert.Equal(SiloExitCode.Stopped, await run.WaitAsync(Probe.WaitLimit));
        Assert.Equal("dead", await database.StatusAsync());
    }

    [PostgresFact]
    public async Task It_exits_non_zero_when_declared_dead()
    {
        await using var database = await MigratedAsync();
        using var shutdown = new CancellationTokenSource();
        var run = SiloRunner.RunAsync(Settings(database.Database), [], NullLoggerFactory.Instance, shutdown.Token);
        await Eventually.TrueAsync(async () => await database.StatusAsync() == "active", Probe.WaitLimit, "the silo is active");

        await using (var declare = database.DataSource.CreateCommand("UPDATE cluster_silos SET status = 'dead', declared_dead_by = 'the test'"))
        {
            await declare.ExecuteNonQueryAsync();
        }

        Assert.Equal(SiloExitCode.MembershipLost, await run.WaitAsync(Probe.WaitLimit));
    }

    private static SiloSettings Settings(PostgresDatabase database) =>
        new("host-test", System.Net.IPEndPoint.Parse("127.0.0.1:0"), null, database.ConnectionString);

    /// <summary>A client process's services, connected over TCP.</summary>
    private static async Task<ServiceProvider> ConnectAsync(NpgsqlDataSource dataSource)
    {
        var services = new ServiceCollection();
        services.AddMarketSpineClient(client => client
            .UsePostgresClustering(dataSource)
            .UseTransport(_ => new TcpMessageTransport(new TcpTransportOptions(), NullLogger<TcpMessageTransport>.Instance)));
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<RemoteClusterClient>().ConnectAsync(CancellationToken.None);
        return provider;
    }

    private static async Task<MigratedDatabase> MigratedAsync()
    {
        var database = new PostgresDatabase();
        await database.InitializeAsync();
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await new MigrationRunner(new PostgresSpineDatabase(dataSource)).ApplyAsync(CancellationToken.None);
        return new MigratedDatabase(database, dataSource);
    }

    /// <summary>A fresh database with every migration applied, as the cluster's migration job leaves it.</summary>
    private sealed class MigratedDatabase(PostgresDatabase database, NpgsqlDataSource dataSource) : IAsyncDisposable
    {
        public PostgresDatabase Database { get; } = database;

        public NpgsqlDataSource DataSource { get; } = dataSource;

        public async Task<string?> StatusAsync()
        {
            await using var command = DataSource.CreateCommand("SELECT status FROM cluster_silos WHERE silo_name = 'host-test'");
            return (string?)await command.ExecuteScalarAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await DataSource.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
