using MarketSpine.Core.Errors;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Postgres;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MarketSpine.SiloHost;

/// <summary>
/// <c>spine-silo migrate</c>: applies this build's migrations to the cluster's database and exits,
/// the one step a deployment runs (a Kubernetes Job) before it rolls out silos of a new version.
/// Concurrent runs are safe: the migration runner holds an advisory lock.
/// </summary>
public static class MigrateCommand
{
    public static async Task<SiloExitCode> RunAsync(string connectionString, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger(typeof(MigrateCommand));
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var runner = new MigrationRunner(new PostgresSpineDatabase(dataSource), loggerFactory.CreateLogger<MigrationRunner>());
            var applied = await runner.ApplyAsync(cancellationToken);
            logger.Migrated(applied.Count, runner.Migrations.Count);
            return SiloExitCode.Stopped;
        }
        catch (InvalidStateError error)
        {
            // An edited migration, or a schema newer than this build: nothing was changed.
            logger.Refused(error.Message);
            return SiloExitCode.Refused;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return SiloExitCode.Failed;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Unreachable database, bad connection string, a failing statement: one line, not a trace.
            logger.MigrationFailed(exception.Message);
            return SiloExitCode.Failed;
        }
    }
}
