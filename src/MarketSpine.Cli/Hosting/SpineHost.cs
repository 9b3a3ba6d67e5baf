using MarketSpine.Grains.Embedded;
using System.Collections.Concurrent;
using System.Globalization;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Reminders;
using MarketSpine.Core.Data;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Registry;
using MarketSpine.Domains.Otc;
using MarketSpine.Grains.Hosting;
using MarketSpine.Storage.Executions;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace MarketSpine.Cli.Hosting;

/// <summary>
/// Wires the embedded single-process system: SQLite store, migrations, the execution store, the
/// pipeline registry with the domains, the execution runtime (dispatcher, execution and logical-key
/// grains) on a single-node silo whose grain state and reminders live in the same SQLite file, and
/// Serilog. Structured JSON logs go to <c>{data dir}/logs</c> with each line's execution id; the
/// console shows only errors unless verbose, so command output stays clean for pipes.
/// </summary>
public static class SpineHost
{
    /// <summary>The grain type of executions (<c>[GrainType("execution")]</c>), as reminders name it.</summary>
    private const string ExecutionGrainType = "execution";

    /// <summary>
    /// The watchdog period of what a client queues for a worker (<c>run --async</c>, <c>dlq retry</c>, a run
    /// while a worker serves the database). Its first tick is when the worker picks the execution up, so it
    /// is shorter than the runtime's default (10 s); every tick costs two writes of the reminders table while
    /// the execution lasts, so it is not much shorter.
    /// </summary>
    public static readonly TimeSpan QueuedWatchdogPeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The watchdog period of what this process runs itself (a synchronous run, the demo). Its ticks only
    /// matter if the process dies: a worker started later then finds the execution orphaned within a period.
    /// Long, so that a run's pipeline does not share the database with reminder writes every few seconds.
    /// </summary>
    public static readonly TimeSpan RunnerWatchdogPeriod = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a worker looks for reminders other processes registered (an execution queued by a client):
    /// under <see cref="QueuedWatchdogPeriod"/>, so the worker knows a queued execution's first tick before it
    /// is due. The silo claims its own reminders at their due times without polling; a runner, which handles
    /// only its own, polls seldom: every claim is a write, which waits (holding a pool thread) while a
    /// pipeline writes, and then makes the pipeline's next write wait.
    /// </summary>
    public static readonly TimeSpan WorkerReminderPoll = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan RunnerReminderPoll = TimeSpan.FromSeconds(30);

    /// <param name="settings">Where the store and logs live.</param>
    /// <param name="verbose">Also log progress to <paramref name="consoleLog"/>, not only errors.</param>
    /// <param name="consoleLog">Where console log lines go: the CLI's error stream, so in-process callers capture them too.</param>
    /// <param name="role">What the silo of this process does; decides which reminders it claims and how many attempts it runs.</param>
    /// <param name="owned">The executions a <see cref="SiloRole.Runner"/> handles the reminders of (those it submits).</param>
    /// <param name="extensions">What an embedding host adds (test pipelines, shorter periods).</param>
    public static ServiceProvider Build(
        SpineSettings settings, bool verbose, TextWriter consoleLog, SiloRole role = SiloRole.None,
        ConcurrentDictionary<string, byte>? owned = null, CliExtensions? extensions = null)
    {
        var level = Enum.TryParse<LogEventLevel>(settings.LogLevel, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        var serilog = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .Enrich.FromLogContext()
            .WriteTo.File(new JsonFormatter(renderMessage: true), Path.Combine(settings.LogDirectory, "spine-.log"),
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, shared: true)
            .WriteTo.Sink(
                new TextWriterLogSink(consoleLog, new MessageTemplateTextFormatter("{Timestamp:HH:mm:ss} [{Level:u3}] {Message:lj}{NewLine}{Exception}", CultureInfo.InvariantCulture)),
                verbose ? LogEventLevel.Information : LogEventLevel.Error)
            .CreateLogger();

        var database = new SqliteSpineDatabase(settings.DatabasePath);
        var loaded = settings.ExtensionAssemblyPaths.Select(LoadExtension).ToList();
        // The runtime's tables share the store's file. Default Timeout: Microsoft.Data.Sqlite retries a
        // busy database for that long, as the store's busy_timeout does, so the writers queue, not fail.
        var runtimeConnection = new SqliteConnectionStringBuilder { DataSource = database.FilePath, DefaultTimeout = 30, Pooling = true }.ToString();
        Func<GrainId, bool>? claims = role == SiloRole.Runner
            ? grain => grain.Type == ExecutionGrainType && owned is not null && owned.ContainsKey(grain.Key)
            : null;

        var services = new ServiceCollection()
            .AddSingleton(settings)
            .AddSingleton(TimeProvider.System)
            .AddLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddSerilog(serilog, dispose: true))
            .AddSingleton<ISpineDatabase>(database)
            .AddSingleton<MigrationRunner>()
            .AddSingleton<IExecutionStore>(new SqlExecutionStore(database))
            .AddSingleton(PipelineRegistry.FromAssemblies([OtcDomain.Assembly, .. extensions?.PipelineAssemblies ?? [], .. loaded]))
            .AddSingleton<IPipelineCatalog, LocalPipelineCatalog>()
            .AddOtcDomain()
            .AddMarketSpineExecutions(options =>
            {
                options.WatchdogPeriod = role == SiloRole.Runner ? RunnerWatchdogPeriod : QueuedWatchdogPeriod;
                extensions?.Executions?.Invoke(options);
                // A client submits and asks, and leaves running to the process that serves the database.
                options.RunsAttempts = role is not (SiloRole.Client or SiloRole.None);
            });
        extensions?.Services?.Invoke(services);
        services.AddMarketSpineActors(silo =>
        {
            foreach (var assembly in loaded)
            {
                silo.AddGrains(assembly);
            }

            silo.AddExecutionGrains()
                .UseSqliteStorage(runtimeConnection)
                .Configure(options =>
                {
                    options.SiloName = $"spine-{role.ToString().ToLowerInvariant()}-{Environment.ProcessId}";
                    options.Reminders.PollInterval = role == SiloRole.Worker ? WorkerReminderPoll : RunnerReminderPoll;
                });
            var table = new SqliteReminderTable(runtimeConnection);
            silo.UseReminders(role == SiloRole.Worker ? table : new ScopedReminderTable(table, claims, TimeProvider.System));
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>An assembly named in <c>SPINE_GRAIN_ASSEMBLIES</c>, into the default context so it shares the runtime's types.</summary>
    private static System.Reflection.Assembly LoadExtension(string path) => File.Exists(path)
        ? System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(path)
        : throw new Core.Errors.ValidationError(new Core.Errors.ValidationProblem("SPINE_GRAIN_ASSEMBLIES", "NOT_FOUND", $"SPINE_GRAIN_ASSEMBLIES names '{path}', which does not exist."));
}
