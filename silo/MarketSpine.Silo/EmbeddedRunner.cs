using System.Reflection;
using MarketSpine.Actors.Hosting;
using MarketSpine.Core.Data;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Registry;
using MarketSpine.Domains.Otc;
using MarketSpine.Grains.Dispatch;
using MarketSpine.Grains.Embedded;
using MarketSpine.Grains.Hosting;
using MarketSpine.Storage.Executions;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketSpine.SiloHost;

/// <summary>
/// <c>spine-silo embedded</c>: the whole system in one process on one SQLite file (the laptop
/// default): a single-node silo whose grain state and reminders share the store's file, the OTC
/// pipelines, and the API. It migrates the file itself on start, as the CLI does; a cluster never does.
/// </summary>
public static class EmbeddedRunner
{
    public static async Task<SiloExitCode> RunAsync(
        EmbeddedSettings settings, IReadOnlyList<Assembly> extensions, ILoggerFactory loggerFactory, CancellationToken shutdown,
        Action<ExecutionOptions>? configureExecutions = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger(typeof(EmbeddedRunner));
        try
        {
            var database = new SqliteSpineDatabase(settings.DatabasePath);
            // One process serves a file at a time, as for `spine worker start`: a `spine run` on the same
            // file then submits to this silo and waits, instead of running (and watching) it itself.
            using var serving = SiloLock.TryAcquire(database.FilePath, SiloRole.Worker, $"spine-silo embedded (API on {settings.HttpUrls})");
            if (serving is null)
            {
                var holder = SiloLock.Holder(database.FilePath).Description;
                logger.DatabaseServed(database.FilePath, holder);
                return SiloExitCode.Refused;
            }

            var applied = await new MigrationRunner(database, loggerFactory.CreateLogger<MigrationRunner>()).ApplyAsync(shutdown);
            logger.EmbeddedReady(database.FilePath, applied.Count);
            // Microsoft.Data.Sqlite retries a busy file for DefaultTimeout seconds, as the store's
            // busy_timeout does, so the runtime's writers queue behind a pipeline's instead of failing.
            var runtimeConnection = new SqliteConnectionStringBuilder { DataSource = database.FilePath, DefaultTimeout = 30, Pooling = true }.ToString();
            await using var application = SiloApplication.Create(settings.HttpUrls, loggerFactory, services =>
            {
                services
                    .AddSingleton(TimeProvider.System)
                    .AddSingleton<ISpineDatabase>(database)
                    .AddSingleton<IExecutionStore>(new SqlExecutionStore(database))
                    .AddSingleton(PipelineRegistry.FromAssemblies([OtcDomain.Assembly, .. extensions]))
                    .AddOtcDomain()
                    .AddMarketSpineExecutions(configureExecutions);
                services.AddMarketSpineActors(silo =>
                {
                    silo.AddExecutionGrains()
                        .UseSqliteStorage(runtimeConnection)
                        .UseSqliteReminders(runtimeConnection)
                        .Configure(options => options.SiloName = $"spine-embedded-{Environment.ProcessId}");
                    foreach (var assembly in extensions)
                    {
                        silo.AddGrains(assembly);
                    }
                });
            });
            // Cancellations that `spine executions cancel` posts for executions this silo runs.
            using var mailboxStop = new CancellationTokenSource();
            var mailbox = Task.Run(() => new CancelMailbox(database.FilePath).ServeAsync(
                application.Services.GetRequiredService<ExecutionDispatcher>(), logger, mailboxStop.Token), CancellationToken.None);
            try
            {
                return await application.RunAsync(logger, shutdown);
            }
            finally
            {
                await mailboxStop.CancelAsync();
                await mailbox;
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return SiloExitCode.Stopped;
        }
        catch (Exception exception)
        {
            logger.Failed(exception);
            return SiloExitCode.Failed;
        }
    }
}
