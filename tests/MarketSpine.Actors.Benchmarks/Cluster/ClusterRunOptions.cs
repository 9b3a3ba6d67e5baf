using System.Globalization;

namespace MarketSpine.Actors.Benchmarks.Cluster;

/// <summary>The <c>cluster</c> subcommand's options: <c>--duration &lt;seconds&gt;</c> per measurement and <c>--callers &lt;n,n,...&gt;</c>.</summary>
public sealed record ClusterRunOptions(TimeSpan Duration, IReadOnlyList<int> Callers)
{
    public const string Usage = "cluster [--duration <seconds per measurement, default 10>] [--callers <concurrent callers, comma-separated, default 64,256>]";

    // A relay's run is one grain call, bounded by IRelayGrain's response timeout (10 min).
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(5);

    public static ClusterRunOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ClusterRunOptions(TimeSpan.FromSeconds(10), [64, 256]);
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value. Usage: {Usage}");
            options = args[i] switch
            {
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--callers" => options with { Callers = [.. value.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))] },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Usage: {Usage}"),
            };
        }

        if (options.Duration <= TimeSpan.Zero || options.Duration > MaxDuration)
        {
            throw new ArgumentException($"--duration must be above 0 and at most {MaxDuration.TotalSeconds:0} seconds.");
        }

        if (options.Callers.Count == 0 || options.Callers.Any(c => c < 1))
        {
            throw new ArgumentException("--callers must list positive numbers.");
        }

        return options;
    }
}
