using MarketSpine.Grains.Embedded;
using System.Collections.Concurrent;
using MarketSpine.Actors.Hosting;
using MarketSpine.Cli.Hosting;
using MarketSpine.Core.Errors;
using MarketSpine.Grains.Workers;
using MarketSpine.Storage.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary>
/// What every command gets: the console to write to, the error writer, and the services of the
/// embedded system (built on first use from the settings and the global options).
/// </summary>
public sealed class CliContext(
    IAnsiConsole console, TextWriter output, TextWriter error, string workingDirectory, IReadOnlyDictionary<string, string?> environment,
    CliExtensions? extensions = null)
{
    /// <summary>An error code of the CLI: the database is served by another process, and the command needs to serve it.</summary>
    public const string DatabaseServed = "DATABASE_SERVED";

    private const int MinimumWorkerThreads = 32;

    public IAnsiConsole Console { get; } = console;

    /// <summary>Raw standard output, for JSON and CSV that must not be wrapped.</summary>
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public string WorkingDirectory { get; } = workingDirectory;

    public IReadOnlyDictionary<string, string?> Environment { get; } = environment;

    public CliExtensions? Extensions { get; } = extensions;

    public SpineSettings LoadSettings(string? databaseOverride) => SettingsLoader.Load(WorkingDirectory, Environment, databaseOverride);

    /// <summary>
    /// Runs a command body with the system's services and turns failures into one-line messages
    /// and exit codes: bad input 2, failures 1. Stack traces go to the log file, never the screen.
    /// No silo starts: the body may read through the dispatcher, not call grains.
    /// </summary>
    /// <param name="options">The global options; with a server (<c>--server</c>, <c>SPINE_SERVER</c>) the body's services answer through its API.</param>
    /// <param name="migrate">Whether the local database is migrated first.</param>
    /// <param name="body">The command.</param>
    /// <param name="localOnly">The command's name when it works on the local database only, and so refuses a server.</param>
    public Task<int> RunAsync(GlobalOptions options, bool migrate, Func<IServiceProvider, Task<int>> body, string? localOnly = null) =>
        RunCoreAsync(options, migrate, SiloRole.None, "", session => body(session.Services), localOnly, CancellationToken.None);

    /// <summary>
    /// Runs a command body with the embedded silo started in <paramref name="role"/> (after migrating),
    /// and stops it cleanly after the body, whatever happened. A <see cref="SiloRole.Worker"/> fails
    /// when another process serves the database; a <see cref="SiloRole.Runner"/> becomes a client then.
    /// <paramref name="activity"/> is how this process describes itself to the others while it serves the database ("spine worker start").
    /// With a server (<c>--server</c>) no silo starts: the body's session answers through the server's API.
    /// </summary>
    public Task<int> RunWithSiloAsync(GlobalOptions options, SiloRole role, string activity, Func<SiloSession, Task<int>> body, CancellationToken cancellationToken,
        string? localOnly = null) =>
        RunCoreAsync(options, migrate: true, role, activity, body, localOnly, cancellationToken);

    /// <summary>The server a command runs against: <c>--server</c>, else <c>SPINE_SERVER</c>; null for the local database.</summary>
    public Uri? ServerOf(GlobalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = options.Server ?? (Environment.TryGetValue("SPINE_SERVER", out var variable) && !string.IsNullOrWhiteSpace(variable) ? variable : null);
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ValidationError(new ValidationProblem("--server", "MALFORMED", $"--server must be an http(s) URL such as http://127.0.0.1:8080, not '{text}'."));
    }

    private async Task<int> RunCoreAsync(GlobalOptions options, bool migrate, SiloRole role, string activity, Func<SiloSession, Task<int>> body,
        string? localOnly, CancellationToken cancellationToken)
    {
        Uri? server;
        try
        {
            server = ServerOf(options);
        }
        catch (ValidationError error)
        {
            await Error.WriteLineAsync($"error: {error.Message}");
            return ExitCodes.Usage;
        }

        if (server is not null)
        {
            if (localOnly is not null)
            {
                await Error.WriteLineAsync($"error: '{localOnly}' works on the local database only; run it without --server (and SPINE_SERVER unset).");
                return ExitCodes.Usage;
            }

            return await RunRemoteAsync(options, server, body, cancellationToken);
        }

        ServiceProvider? services = null;
        SiloLock? siloLock = null;
        Silo? silo = null;
        using var mailboxStop = new CancellationTokenSource();
        Task? mailboxTask = null;
        try
        {
            var settings = LoadSettings(options.Database);
            string? servedBy = null;
            var effective = role;
            if (role is SiloRole.Runner or SiloRole.Worker)
            {
                (siloLock, servedBy) = await AcquireAsync(settings.DatabasePath, role, activity, cancellationToken);
                if (siloLock is null)
                {
                    effective = SiloRole.Client;
                }
            }
            else if (role == SiloRole.Client && SiloLock.IsHeld(settings.DatabasePath, out var holder))
            {
                servedBy = holder;
            }

            var owned = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
            services = SpineHost.Build(settings, options.Verbose, Error, effective, owned, Extensions);
            if (migrate)
            {
                // The embedded single-process mode migrates itself on start (a cluster does not).
                await services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None);
            }

            var mailbox = new CancelMailbox(settings.DatabasePath);
            if (effective != SiloRole.None)
            {
                EnsureThreads();
                silo = services.GetRequiredService<Silo>();
                await silo.StartAsync(CancellationToken.None);
                if (effective is SiloRole.Runner or SiloRole.Worker)
                {
                    var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("spine");
                    var dispatcher = services.GetRequiredService<Grains.Dispatch.ExecutionDispatcher>();
                    mailboxTask = Task.Run(() => mailbox.ServeAsync(dispatcher, logger, mailboxStop.Token), CancellationToken.None);
                }
            }

            var exit = await body(new SiloSession(services, effective, servedBy, owned, mailbox, settings.DatabasePath));
            if (effective == SiloRole.Runner)
            {
                await DrainAsync(services.GetRequiredService<LaneWorkerPools>(), cancellationToken);
            }

            // The embedded store defers WAL checkpoints off the commit path; do it once the
            // command's output is out, so the file is compact for the next reader.
            if (services.GetService<Core.Data.ISpineDatabase>() is Storage.Sqlite.SqliteSpineDatabase sqlite)
            {
                await sqlite.CheckpointAsync(CancellationToken.None);
            }

            return exit;
        }
        catch (Exception exception)
        {
            return await ReportAsync(exception, options, services);
        }
        finally
        {
            await mailboxStop.CancelAsync();
            if (mailboxTask is not null)
            {
                await mailboxTask;
            }

            if (silo is not null)
            {
                await StopAsync(silo, services!);
            }

            siloLock?.Dispose();
            if (services is not null)
            {
                await services.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Runs a command body against a server: the session's services (the command layer, the OTC queries,
    /// the pipeline catalog) answer through its REST API, and no silo or database is opened here.
    /// </summary>
    private async Task<int> RunRemoteAsync(GlobalOptions options, Uri server, Func<SiloSession, Task<int>> body, CancellationToken cancellationToken)
    {
        await using var services = Remote.RemoteServices.Build(server);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await body(new SiloSession(services, SiloRole.None, server.ToString(), new ConcurrentDictionary<string, byte>(StringComparer.Ordinal), null, server.ToString())
            {
                Remote = server,
            });
        }
        catch (Exception exception)
        {
            return await ReportAsync(exception, options, null);
        }
    }

    /// <summary>
    /// A command's failure as one line and an exit code: bad input 2, failures 1, interrupted 130. Stack
    /// traces go to the log file, never the screen.
    /// </summary>
    private async Task<int> ReportAsync(Exception exception, GlobalOptions options, IServiceProvider? services)
    {
        switch (exception)
        {
            case OperationCanceledException:
                await Error.WriteLineAsync("error: interrupted");
                return ExitCodes.Interrupted;
            case SpineError error when error is ValidationError or NotFoundError:
                await Error.WriteLineAsync($"error: {error.Message}");
                return ExitCodes.Usage;
            case SpineError error:
                await Error.WriteLineAsync($"error: {error.Code}: {error.Message}");
                return ExitCodes.Failed;
            default:
                await Error.WriteLineAsync($"error: internal: {exception.GetType().Name}: {exception.Message} (details in the log under {LoadSafeLogDirectory(options)})");
                services?.GetService<ILoggerFactory>()?.CreateLogger("spine").LogCrash(exception);
                return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// Raises the thread pool's floor for the embedded runtime. SQLite has one writer: while a pipeline
    /// writes, the runtime's own writes (progress, log lines, reminders) wait for it in blocking calls on
    /// pool threads, and on a small machine the pool then adds threads only slowly, so the pipeline's own
    /// continuations queue behind them (the demo's week took 2.5 s instead of 1.5 s on two cores, measured).
    /// </summary>
    private static void EnsureThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinimumWorkerThreads)
        {
            ThreadPool.SetMinThreads(MinimumWorkerThreads, completionPorts);
        }
    }

    /// <summary>
    /// Takes the database's silo lock for a runner or a worker. Held by a worker, a runner gets no lock
    /// (it becomes a client of that worker) and a worker fails; held by a runner (a synchronous run, the
    /// demo), which serves only its own executions, both wait for it to finish.
    /// </summary>
    private async Task<(SiloLock? Lock, string? ServedBy)> AcquireAsync(string databasePath, SiloRole role, string activity, CancellationToken cancellationToken)
    {
        var told = false;
        while (true)
        {
            if (SiloLock.TryAcquire(databasePath, role, activity) is { } acquired)
            {
                return (acquired, null);
            }

            var (holderRole, holder) = SiloLock.Holder(databasePath);
            if (holderRole == SiloRole.Worker)
            {
                return role == SiloRole.Worker
                    ? throw new InvalidStateError(DatabaseServed, $"{databasePath} is served by {holder}; one process at a time runs its executions. Stop that one first.")
                    : (null, holder);
            }

            if (!told)
            {
                await Error.WriteLineAsync($"… waiting for {holder} to finish: one process at a time serves {databasePath}");
                told = true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>
    /// A runner that handed its logical key on may have started the next waiter here (the key grain tells
    /// the waiter in this process); stopping now would fail that execution as orphaned, so wait for it.
    /// </summary>
    private async Task DrainAsync(LaneWorkerPools pools, CancellationToken cancellationToken)
    {
        var told = false;
        var since = DateTimeOffset.UtcNow;
        while (pools.Load().Values.Sum(load => load.Running + load.Waiting) is var busy and > 0 && !cancellationToken.IsCancellationRequested)
        {
            if (!told && DateTimeOffset.UtcNow - since > TimeSpan.FromSeconds(1))
            {
                await Error.WriteLineAsync($"… waiting for {busy} more execution(s) this process started (next in line for a logical key)");
                told = true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    private async Task StopAsync(Silo silo, IServiceProvider services)
    {
        try
        {
            await silo.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await Error.WriteLineAsync($"error: internal: the silo did not stop cleanly: {exception.GetType().Name}: {exception.Message}");
            services.GetService<ILoggerFactory>()?.CreateLogger("spine").LogCrash(exception);
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
