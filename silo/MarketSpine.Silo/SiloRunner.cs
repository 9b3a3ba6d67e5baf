using System.Reflection;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Transport;
using MarketSpine.Core.Errors;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketSpine.SiloHost;

/// <summary>
/// Runs one clustered silo until it is told to stop or stops itself: PostgreSQL for state, reminders,
/// membership and directory, TCP between silos and from clients. It refuses a database whose schema
/// lacks this build's migrations (a cluster migrates through a job, never from a silo), and it exits
/// non-zero when it loses its membership, so that Kubernetes restarts it as a new generation.
/// </summary>
public static class SiloRunner
{
    public static async Task<SiloExitCode> RunAsync(
        SiloSettings settings, IReadOnlyList<Assembly> grainAssemblies, ILoggerFactory loggerFactory, CancellationToken shutdown)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(grainAssemblies);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger(typeof(SiloRunner));
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(settings.PostgresConnectionString);
            try
            {
                await new MigrationRunner(new PostgresSpineDatabase(dataSource), loggerFactory.CreateLogger<MigrationRunner>()).EnsureCurrentAsync(shutdown);
            }
            catch (SpineError error)
            {
                logger.Refused(error.Message);
                return SiloExitCode.Refused;
            }

            await using var services = Services(settings, grainAssemblies, loggerFactory, dataSource);
            return await RunSiloAsync(services.GetRequiredService<Silo>(), logger, shutdown);
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

    private static ServiceProvider Services(SiloSettings settings, IReadOnlyList<Assembly> grainAssemblies, ILoggerFactory loggerFactory, NpgsqlDataSource dataSource)
    {
        var services = new ServiceCollection()
            .AddSingleton(loggerFactory)
            .AddSingleton(TimeProvider.System);
        services.AddMarketSpineActors(silo =>
        {
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
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static async Task<SiloExitCode> RunSiloAsync(Silo silo, ILogger logger, CancellationToken shutdown)
    {
        try
        {
            await silo.StartAsync(shutdown);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await silo.StopAsync(CancellationToken.None);
            return SiloExitCode.Stopped;
        }

        logger.Running(silo.Address, silo.Endpoint);
        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (shutdown.Register(() => stopRequested.TrySetResult()))
        {
            if (await Task.WhenAny(silo.Stopped, stopRequested.Task) == stopRequested.Task)
            {
                logger.Stopping(silo.Address);
                await silo.StopAsync(CancellationToken.None);
            }
        }

        var reason = await silo.Stopped;
        if (reason == SiloStopReason.Requested)
        {
            return SiloExitCode.Stopped;
        }

        logger.MembershipLost(silo.Address, reason);
        return SiloExitCode.MembershipLost;
    }
}
