using BenchmarkDotNet.Running;
using MarketSpine.Actors.Benchmarks;
using MarketSpine.Actors.Benchmarks.Cluster;
using MarketSpine.Actors.Benchmarks.Transport;

// Run in Release:
//   dotnet run -c Release --project tests/MarketSpine.Actors.Benchmarks -- throughput [seconds per row]
//   dotnet run -c Release --project tests/MarketSpine.Actors.Benchmarks -- bdn --filter '*' --job short
//   dotnet run -c Release --project tests/MarketSpine.Actors.Benchmarks -- transport [seconds per row]
//   bash scripts/with-postgres.sh dotnet run -c Release --project tests/MarketSpine.Actors.Benchmarks -- cluster [--duration 10] [--callers 64,256]
// (transport starts a second process of this program, "transport-server <port>", to call across processes;
// cluster starts spine-silo processes on a fresh database of the PostgreSQL that with-postgres.sh runs.)
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(SameSiloCallBenchmarks).Assembly).Run(args[1..]);
}
else if (args.Length > 0 && args[0] == "transport")
{
    var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    await TransportRun.RunAsync(TimeSpan.FromSeconds(seconds));
}
else if (args.Length > 0 && args[0] == "cluster")
{
    await ClusterRun.RunAsync(ClusterRunOptions.Parse(args[1..]));
}
else if (args.Length > 1 && args[0] == "transport-server")
{
    await TransportServer.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
}
else
{
    var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    await ThroughputRun.RunAsync(TimeSpan.FromSeconds(seconds));
}
