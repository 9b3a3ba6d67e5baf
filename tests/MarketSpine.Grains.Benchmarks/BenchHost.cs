using MarketSpine.Actors.Hosting;
using MarketSpine.Core.Data;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Registry;
using MarketSpine.Grains.Dispatch;
using MarketSpine.Grains.Hosting;
using MarketSpine.Storage.Executions;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketSpine.Grains.Benchmarks;

/// <summary>
/// One silo on a fresh PostgreSQL database (created from SPINE_TEST_POSTGRES, dropped after), as a
/// production silo runs: grain state, reminders and executions in PostgreSQL; with
/// <c>--cluster</c> also the membership and the grain directory, so each activation registers there.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _databaseName;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ServiceProvider _services;

    private BenchHost(string admin, string databaseName, NpgsqlDataSource dataSource, ServiceProvider services)
    {
        _admin = admin;
        _databaseName = databaseName;
        _dataSource = dataSource;
        _services = services;
    }

    public ExecutionDispatcher Dispatcher => _services.GetRequiredService<ExecutionDispatcher>();

    public NpgsqlDataSource DataSource => _dataSource;

    public static async Task<BenchHost> StartAsync(bool cluster)
    {
        var admin = Environment.GetEnvironmentVariable("SPINE_TEST_POSTGRES")
                    ?? throw new InvalidOperationException("SPINE_TEST_POSTGRES is not set: run under scripts/with-postgres.sh.");
        var name = $"spine_bench_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(admin)
        {
            // The silo's own tuning (SiloRunner.Tuned): no reset on return to the pool, auto-prepared statements.
            Database = name, MaxPoolSize = 64, NoResetOnClose = true, MaxAutoPrepare = 64, AutoPrepareMinUsages = 2,
        }.ConnectionString);
        var database = new PostgresSpineDatabase(dataSource);
        await new MigrationRunner(database).ApplyAsync(CancellationToken.None);
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ISpineDatabase>(database)
            .AddSingleton<IExecutionStore>(new SqlExecutionStore(database))
            .AddSingleton(PipelineRegistry.FromAssemblies(typeof(NoopPipeline).Assembly))
            .AddMarketSpineExecutions(options => options.LaneConcurrency[Lane.Normal] = 64);
        services.AddMarketSpineActors(silo =>
        {
            silo.AddExecutionGrains().UsePostgresStorage(dataSource).UsePostgresReminders(dataSource);
            if (cluster)
            {
                silo.UsePostgresClustering(dataSource)
                    .UseTransport(provider => new Actors.Transport.TcpMessageTransport(new Actors.Transport.TcpTransportOptions(),
                        provider.GetRequiredService<ILogger<Actors.Transport.TcpMessageTransport>>()))
                    .Configure(options => options.Cluster.ListenEndpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            }
        });
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<Silo>().StartAsync(CancellationToken.None);
        return new BenchHost(admin, name, dataSource, provider);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<Silo>().StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        await _dataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
