using MarketSpine.Cli.Hosting;
using MarketSpine.Core.Errors;
using MarketSpine.Storage.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary>
/// What every command gets: the console to write to, the error writer, and the services of the
/// embedded system (built on first use from the settings and the global options).
/// </summary>
public sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
{
    public IAnsiConsole Console { get; } = console;

    /// <summary>Raw standard output, for JSON and CSV that must not be wrapped.</summary>
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public string WorkingDirectory { get; } = workingDirectory;

    public IReadOnlyDictionary<string, string?> Environment { get; } = environment;

    public SpineSettings LoadSettings(string? databaseOverride) => SettingsLoader.Load(WorkingDirectory, Environment, databaseOverride);

    /// <summary>
    /// Runs a command body with the system's services and turns failures into one-line messages
    /// and exit codes: bad input 2, failures 1. Stack traces go to the log file, never the screen.
    /// </summary>
    public async Task<int> RunAsync(GlobalOptions options, bool migrate, Func<IServiceProvider, Task<int>> body)
    {
        ServiceProvider? services = null;
        try
        {
            var settings = LoadSettings(options.Database);
            services = SpineHost.Build(settings, options.Verbose, Error);
            if (migrate)
            {
                // The embedded single-process mode migrates itself on start (a cluster does not).
                await services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None);
            }

            var exit = await body(services);
            // The embedded store defers WAL checkpoints off the commit path; do it once the
            // command's output is out, so the file is compact for the next reader.
            if (services.GetService<Core.Data.ISpineDatabase>() is Storage.Sqlite.SqliteSpineDatabase sqlite)
            {
                await sqlite.CheckpointAsync(CancellationToken.None);
            }

            return exit;
        }
        catch (OperationCanceledException)
        {
            await Error.WriteLineAsync("error: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (SpineError error) when (error is ValidationError or NotFoundError)
        {
            await Error.WriteLineAsync($"error: {error.Message}");
            return ExitCodes.Usage;
        }
        catch (SpineError error)
        {
            await Error.WriteLineAsync($"error: {error.Code}: {error.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception exception)
        {
            await Error.WriteLineAsync($"error: internal: {exception.GetType().Name}: {exception.Message} (details in the log under {LoadSafeLogDirectory(options)})");
            services?.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()?.CreateLogger("spine").LogCrash(exception);
            return ExitCodes.Failed;
        }
        finally
        {
            if (services is not null)
            {
                await services.DisposeAsync();
            }
        }
    }

    private string LoadSafeLogDirectory(GlobalOptions options)
    {
        try
        {
            return LoadSettings(options.Database).LogDirectory;
        }
        catch (IOException)
        {
            return "the data directory";
        }
    }
}
