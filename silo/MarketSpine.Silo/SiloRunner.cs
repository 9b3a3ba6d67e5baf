using System.Reflection;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Transport;
using MarketSpine.Core.Data;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Registry;
using MarketSpine.Domains.Otc;
using MarketSpine.Grains.Hosting;
using MarketSpine.Storage.Executions;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketSpine.SiloHost;

/// <summary>
/// Runs one clustered silo until it is told to stop or stops itself: PostgreSQL for state, reminders,
/// membership and directory, TCP between silos and from clients. It hosts the execution and
/// logical-key grains with the registered pipelines (the OTC domain), so executions run on it. It refuses a database whose schema
/// lacks this build's migrations (a cluster migrates through a job, never from a silo), and it exits
/// non-zero when it loses its membership, so that Kubernetes restarts it as a new generation.
/// </summary>
public static class SiloRunner
{
    public static async Task<SiloExitCode> RunAsync(
        SiloSettings settings, IReadOnlyList<Assembly> grainAssemblies, ILoggerFactory loggerFactory, CancellationToken shutdown,
        Action<ExecutionOptions>? configureExecutions = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(grainAssemblies);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger(typeof(SiloRunner));
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(Tuned(settings.PostgresConnectionString));
            try
            {
                await new MigrationRunner(new PostgresSpineDatabase(dataSource), loggerFactory.CreateLogger<MigrationRunner>()).EnsureCurrentAsync(shutdown);
            }
            catch (SpineError error)
            {
                logger.Refused(error.Message);
                return SiloExitCode.Refused;
            }

            await using var application = SiloApplication.Create(settings.HttpUrls, loggerFactory, services => Register(services, settings, grainAssemblies, loggerFactory, dataSource, configureExecutions));
            return await application.RunAsync(logger, shutdown);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !shutdown.IsCancellationRequested)
        {
            logger.Failed(exception);
            return SiloExitCode.Failed;
        }
        catch (OperationCanceledException)
        {
            // Told to stop before the silo had started.
            return SiloExitCode.Stopped;
        }
    }

    /// <summary>
    /// The connection string with the silo's defaults where the operator set none. Resetting a pooled
    /// connection (DISCARD ALL) was most of the statements PostgreSQL ran per execution, and nothing in
    /// the silo leaves session state behind (the migration lock is released explicitly); prepared
    /// statements pay off for the few statements every grain write repeats.
    /// </summary>
    internal static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Keywords as the operator wrote them, spaces and case aside ("NoResetOnClose" is "No Reset On Close").
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        if (!given.Contains("NORESETONCLOSE"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    private static void Register(
        IServiceCollection services, SiloSettings settings, IReadOnlyList<Assembly> grainAssemblies, ILoggerFactory loggerFactory, NpgsqlDataSource dataSource,
        Action<ExecutionOptions>? configureExecutions)
    {
        var database = new PostgresSpineDatabase(dataSource);
        services
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ISpineDatabase>(database)
            .AddSingleton<IExecutionStore>(new SqlExecutionStore(database))
            .AddSingleton(PipelineRegistry.FromAssemblies([OtcDomain.Assembly, .. grainAssemblies]))
            .AddOtcDomain()
            .AddMarketSpineExecutions(configureExecutions);
        services.AddMarketSpineActors(silo =>
        {
            silo.AddExecutionGrains();
            foreach (var assembly in grainAssemblies)
            {
                silo.AddGrains(assembly);
            }

            silo.UsePostgresStorage(dataSource)
                .UsePostgresReminders(dataSource)
                .UsePostgresClustering(dataSource)
                .UseTransport(_ => new TcpMessageTransport(new TcpTransportOptions(), loggerFactory.CreateLogger<TcpMessageTransport>()))
                .Configure(options =>
                {
                    options.SiloName = settings.Name;
                    options.Cluster.ListenEndpoint = settings.ListenEndpoint;
                    options.Cluster.AdvertisedEndpoint = settings.AdvertisedEndpoint;
                });
        });
    }
}
