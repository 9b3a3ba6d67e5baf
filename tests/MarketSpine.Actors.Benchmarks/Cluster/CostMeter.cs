using System.Diagnostics;
using System.Runtime;
using MarketSpine.Actors.Testing;

namespace MarketSpine.Actors.Benchmarks.Cluster;

/// <summary>
/// What operations cost from the moment the meter starts: CPU time of the benchmark process (the
/// client) and of each silo process, and, under workstation GC, the bytes the client allocates. On
/// a machine shared with other work, operations per second swing with the others' load, while CPU
/// per operation does much less; it also says which process the time goes to, and "cores ÷ CPU per
/// operation" is the rate the machine would reach with its cores to itself.
/// </summary>
public sealed class CostMeter
{
    private readonly SiloProcessCluster _cluster;
    private readonly TimeSpan _client;
    private readonly TimeSpan[] _silos;
    private readonly long _allocated;

    private CostMeter(SiloProcessCluster cluster)
    {
        _cluster = cluster;
        _client = ClientCpu;
        _silos = [.. cluster.Silos.Select(s => s.CpuTime)];
        _allocated = GC.GetTotalAllocatedBytes(precise: true);
    }

    private static TimeSpan ClientCpu => Process.GetCurrentProcess().TotalProcessorTime;

    // Server GC adapts its heap count (DATAS), and the runtime's total then counts only the heaps in
    // use, so it goes backwards when one is dropped (dotnet/runtime#131069): runs here saw 0 and
    // negative bytes per call. Workstation GC has one heap, and its total is exact.
    private static bool AllocationsCounted => !GCSettings.IsServerGC;

    public static CostMeter Start(SiloProcessCluster cluster) => new(cluster);

    /// <summary>Cost per operation since the start, e.g. "CPU per op: client 20.1 µs + silo-1 30.2 µs + ...; client allocates 2,100 B/op".</summary>
    public string PerOperation(long operations)
    {
        var client = (ClientCpu - _client).TotalMicroseconds / operations;
        var silos = _cluster.Silos.Select((s, i) => (s.Name, Micros: (s.CpuTime - _silos[i]).TotalMicroseconds / operations)).ToList();
        var total = client + silos.Sum(s => s.Micros);
        var allocated = AllocationsCounted ? $"; client allocates {(double)(GC.GetTotalAllocatedBytes(precise: true) - _allocated) / operations:N0} B/op" : "";
        return $"CPU per op: client {client:N1} µs + {string.Join(" + ", silos.Select(s => $"{s.Name} {s.Micros:N1} µs"))} = {total:N1} µs "
            + $"(= {Environment.ProcessorCount * 1e6 / total:N0}/s on {Environment.ProcessorCount} idle cores){allocated}";
    }
}
