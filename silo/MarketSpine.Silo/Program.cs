using System.Reflection;
using System.Runtime.InteropServices;
using MarketSpine.SiloHost;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Extensions.Logging;

// SIGTERM (Kubernetes stopping the pod) and SIGINT stop the silo cleanly instead of ending the
// process: it leaves the membership and hands its grains over first.
using var shutdown = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
using var loggerFactory = new SerilogLoggerFactory(
    new LoggerConfiguration().MinimumLevel.Information().WriteTo.Console().CreateLogger(), dispose: true);

if (!SiloSettings.TryRead(configuration, out var settings, out var error))
{
    loggerFactory.CreateLogger("MarketSpine.Silo").Refused(error);
    return (int)SiloExitCode.Refused;
}

// The grain classes this silo hosts. The application grains (MarketSpine.Grains) are not written
// yet; until they are added here, the silo joins the cluster and hosts no grains.
Assembly[] grainAssemblies = [];
return (int)await SiloRunner.RunAsync(settings, grainAssemblies, loggerFactory, shutdown.Token);

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    shutdown.Cancel();
}
