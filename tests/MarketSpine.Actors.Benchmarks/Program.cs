using BenchmarkDotNet.Running;
using MarketSpine.Actors.Benchmarks;

// Run in Release:
//   dotnet run -c Release --project tests/MarketSpine.Actors.Benchmarks -- throughput [seconds per row]
//   dotnet run -c Release --project tests/MarketSpine.Actors.Benchmarks -- bdn --filter '*' --job short
if (args.Length > 0 && args[0] == "bdn")
{
    BenchmarkSwitcher.FromAssembly(typeof(SameSiloCallBenchmarks).Assembly).Run(args[1..]);
}
else
{
    var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    await ThroughputRun.RunAsync(TimeSpan.FromSeconds(seconds));
}
