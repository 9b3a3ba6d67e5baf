using System.Globalization;
using MarketSpine.Core.Data;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Registry;
using MarketSpine.Domains.Otc;
using MarketSpine.Storage.Executions;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;

namespace MarketSpine.Cli.Hosting;

/// <summary>
/// Wires the embedded single-process system: SQLite store, migrations, executions ledger,
/// pipeline registry with the domains, the dispatcher, and Serilog. Structured JSON logs go to
/// <c>{data dir}/logs</c> with each line's execution id; the console shows only errors unless
/// verbose, so command output stays clean for pipes.
/// </summary>
public static class SpineHost
{
    /// <param name="settings">Where the store and logs live.</param>
    /// <param name="verbose">Also log progress to <paramref name="consoleLog"/>, not only errors.</param>
    /// <param name="consoleLog">Where console log lines go: the CLI's error stream, so in-process callers capture them too.</param>
    public static ServiceProvider Build(SpineSettings settings, bool verbose, TextWriter consoleLog)
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

        var services = new ServiceCollection()
            .AddSingleton(settings)
            .AddSingleton(TimeProvider.System)
            .AddLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddSerilog(serilog, dispose: true))
            .AddSingleton<ISpineDatabase>(_ => new SqliteSpineDatabase(settings.DatabasePath))
            .AddSingleton<MigrationRunner>()
            .AddSingleton<IExecutionLedger, SqlExecutionLedger>()
            .AddSingleton(PipelineRegistry.FromAssemblies(OtcDomain.Assembly))
            .AddSingleton<Dispatcher>()
            .AddOtcDomain();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
