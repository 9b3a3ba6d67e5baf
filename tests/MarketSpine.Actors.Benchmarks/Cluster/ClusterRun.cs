using System.Runtime.InteropServices;
using MarketSpine.Actors.SampleGrains;
using MarketSpine.Actors.Testing;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Benchmarks.Cluster;

/// <summary>
/// The <c>cluster</c> subcommand: grain calls across real processes on loopback. It starts two
/// <c>spine-silo</c> processes on a fresh PostgreSQL database and measures, through a
/// <see cref="Client.RemoteClusterClient"/> over TCP: (a) closed-loop client→grain calls per
/// second over already activated grains; (b) grain→grain calls per second between the silos;
/// (c) latency of client calls paced at 10,000 a second, from each call's due time; (d) new
/// activations per second, each registered in the PostgreSQL directory. Every figure comes with
/// the CPU time per operation of each process. The client, both silos and PostgreSQL share this
/// machine's cores.
/// </summary>
public static class ClusterRun
{
    private const int Silos = 2;

    // Enough for the reason a silo failed to start, bounded however much it logs during a run.
    private const int KeptSiloLines = 200;
    private const int EchoGrains = 10_000;
    private const int Relays = 32;
    private const int PacedRate = 10_000;

    // Passes over every grain before measuring, so that both gateways know where each grain lives
    // (a gateway's first call to a grain placed elsewhere costs a directory registration that loses).
    private const int WarmRounds = 6;

    // Before each row: the same load, so the row starts in its steady state.
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    // Once, before anything is measured: the silos start cold, and their hot paths are compiled
    // again, optimized, in the background during the first seconds of load (tiered compilation);
    // a profile of a run without it found over a third of the run's CPU in the JIT during (a).
    private static readonly TimeSpan ColdStart = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(ClusterRunOptions options)
    {
        // Ctrl-C or SIGTERM end this process without unwinding it: the silos must go with it.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => DotnetProcess.KillAll());
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => DotnetProcess.KillAll());

        Console.WriteLine($"{Environment.ProcessorCount} cores shared by the client, {Silos} silo processes and PostgreSQL; "
            + $"client {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC; {options.Duration.TotalSeconds:0} s per row; load average {LoadAverage()}");
        await using var cluster = await SiloProcessCluster.StartAsync(Silos, keptLines: KeptSiloLines);
        Console.WriteLine($"silos: {string.Join(", ", cluster.Silos.Select(s => $"{s.Name} (pid {s.Id})"))}");

        var grains = Enumerable.Range(0, EchoGrains).Select(i => cluster.Client.GetGrain<IEchoGrain>($"echo-{i}")).ToArray();
        await ClientCalls.CallEachAsync(grains, 1 + WarmRounds, options.Callers.Max());
        var relays = await SiloToSiloCalls.PrepareAsync(cluster, Relays);
        await ClientCalls.MeasureAsync(grains, options.Callers.Max(), ColdStart);
        await relays.MeasureAsync(Math.Max(1, options.Callers.Max() / relays.Pairs), ColdStart);

        Console.WriteLine($"(a) client → grain, closed loop over {EchoGrains:N0} echo grains:");
        foreach (var callers in options.Callers)
        {
            await ClientCalls.MeasureAsync(grains, callers, WarmUp);
            var cost = CostMeter.Start(cluster);
            var (calls, elapsed) = await ClientCalls.MeasureAsync(grains, callers, options.Duration);
            Console.WriteLine($"  callers {callers,4}: {calls / elapsed.TotalSeconds,9:N0} calls/s; {cost.PerOperation(calls)}");
        }

        Console.WriteLine($"(b) silo → silo, grain → grain: {relays.Placement}");
        foreach (var callers in options.Callers)
        {
            var perRelay = Math.Max(1, callers / relays.Pairs);
            await relays.MeasureAsync(perRelay, WarmUp);
            var cost = CostMeter.Start(cluster);
            var (calls, elapsed) = await relays.MeasureAsync(perRelay, options.Duration);
            Console.WriteLine($"  callers {relays.Pairs * perRelay,4} ({relays.Pairs} relays × {perRelay}): {calls / elapsed.TotalSeconds,9:N0} calls/s; {cost.PerOperation(calls)}");
        }

        Console.WriteLine($"(c) client → grain paced at {PacedRate:N0} calls/s, latency from each call's due time:");
        await PacedRun.RunAsync(i => grains[i % grains.Length].EchoAsync(i), PacedRate, WarmUp);
        var pacedCost = CostMeter.Start(cluster);
        var clientPauses = GC.GetTotalPauseDuration();
        var (latency, maxLag, errors) = await PacedRun.RunAsync(i => grains[i % grains.Length].EchoAsync(i), PacedRate, options.Duration);
        clientPauses = GC.GetTotalPauseDuration() - clientPauses;
        Console.WriteLine($"  {latency}; pacer at most {maxLag.TotalMilliseconds:0.000} ms late; client GC pauses {clientPauses.TotalMilliseconds:0} ms in all; {errors} errors");

        // The client's figure includes the pacer, which spins (yielding) between due times.
        Console.WriteLine($"  {pacedCost.PerOperation((long)(PacedRate * options.Duration.TotalSeconds))}");

        Console.WriteLine("(d) new activations, each registered in the PostgreSQL directory:");
        foreach (var callers in options.Callers)
        {
            var prefix = $"fresh-{callers}-";
            var cost = CostMeter.Start(cluster);
            var (activations, elapsed) = await Activations.MeasureAsync(cluster, prefix, callers, options.Duration);
            var registered = await cluster.CountRegisteredAsync("sample.echo", prefix);
            Console.WriteLine($"  callers {callers,4}: {activations / elapsed.TotalSeconds,9:N0} activations/s ({registered:N0} of {activations:N0} in the directory); {cost.PerOperation(activations)}");
        }

        foreach (var silo in cluster.Silos.Where(s => s.HasExited))
        {
            Console.WriteLine($"{silo.Name} exited during the run:{Environment.NewLine}{silo.Output}");
        }

        Console.WriteLine($"load average {LoadAverage()}");
    }

    // Other work on a shared machine moves every figure; the run reports the load it saw.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
