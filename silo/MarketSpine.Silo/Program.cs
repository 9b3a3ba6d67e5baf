using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using MarketSpine.SiloHost;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

// SIGTERM (Kubernetes stopping the pod) and SIGINT stop the silo cleanly instead of ending the
// process: it leaves the membership and hands its grains over first.
using var shutdown = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
using var loggerFactory = new SerilogLoggerFactory(
    // ASP.NET Core's own categories from Warning up: at Information the framework wrote six lines per
    // request through the console sink's lock, 12–15 % of the server's CPU on a GET (docs/benchmarks.md);
    // /health/metrics counts and times the requests instead.
    new LoggerConfiguration().MinimumLevel.Information().MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning).WriteTo.Console().CreateLogger(),
    dispose: true);
var logger = loggerFactory.CreateLogger("MarketSpine.Silo");

switch (args)
{
    case []:
        break;
    case ["migrate"]:
        if (!SiloSettings.TryReadPostgres(configuration, out var connectionString, out var missing))
        {
            logger.Refused(missing);
            return (int)SiloExitCode.Refused;
        }

        return (int)await MigrateCommand.RunAsync(connectionString, loggerFactory, shutdown.Token);
    case ["embedded"]:
        var embedded = EmbeddedSettings.Read(configuration, Environment.CurrentDirectory);
        return LoadExtensions(embedded.ExtensionAssemblyPaths) is { } extensions
            ? (int)await EmbeddedRunner.RunAsync(embedded, extensions, loggerFactory, shutdown.Token, SiloSettings.ExecutionSettings(configuration))
            : (int)SiloExitCode.Refused;
    default:
        logger.UnknownArguments(args);
        return (int)SiloExitCode.Refused;
}

if (!SiloSettings.TryRead(configuration, out var settings, out var error))
{
    logger.Refused(error);
    return (int)SiloExitCode.Refused;
}

if (LoadExtensions(settings.GrainAssemblyPaths) is not { } grainAssemblies)
{
    return (int)SiloExitCode.Refused;
}

return (int)await SiloRunner.RunAsync(settings, grainAssemblies, loggerFactory, shutdown.Token, SiloSettings.ExecutionSettings(configuration));

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    shutdown.Cancel();
}

// Assemblies named in SPINE_GRAIN_ASSEMBLIES (beyond the built-in execution grains and the OTC
// pipelines) load into the default context, so they share the runtime's types; null when one cannot.
List<Assembly>? LoadExtensions(IReadOnlyList<string> paths)
{
    var assemblies = new List<Assembly>();
    foreach (var path in paths)
    {
        try
        {
            assemblies.Add(AssemblyLoadContext.Default.LoadFromAssemblyPath(path));
            logger.HostingGrains(path);
        }
        catch (Exception exception) when (exception is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            logger.GrainAssemblyUnloadable(path, exception.Message);
            return null;
        }
    }

    return assemblies;
}
