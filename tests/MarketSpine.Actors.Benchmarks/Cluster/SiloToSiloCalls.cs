using System.Diagnostics;
using MarketSpine.Actors.SampleGrains;
using MarketSpine.Actors.Testing;

namespace MarketSpine.Actors.Benchmarks.Cluster;

/// <summary>
/// Grain-to-grain calls between silos: relay grains on every silo call echo grains on another
/// silo, all at once, so each silo both sends and serves. The pairs are placed on purpose, since
/// random placement would put some on one silo: a relay goes to the gateway that first called it
/// (it is placed locally, as every grain by default), and each relay's echo target is activated by
/// a relay on another silo, which places it there; the directory then confirms each pair spans two
/// silos, and only such pairs are measured.
/// </summary>
public sealed class SiloToSiloCalls
{
    private readonly (IRelayGrain Relay, string Target)[] _pairs;

    private SiloToSiloCalls((IRelayGrain Relay, string Target)[] pairs, string placement)
    {
        _pairs = pairs;
        Placement = placement;
    }

    public int Pairs => _pairs.Length;

    /// <summary>How the relays and their targets are spread, for the report.</summary>
    public string Placement { get; }

    public static async Task<SiloToSiloCalls> PrepareAsync(SiloProcessCluster cluster, int relays)
    {
        var keys = Enumerable.Range(0, relays).Select(i => $"relay-{i}").ToArray();
        var wheres = await Task.WhenAll(keys.Select(k => cluster.Client.GetGrain<IRelayGrain>(k).WhereAsync()));
        var siloOf = keys.Zip(wheres, (key, where) => (key, silo: where.Split('@')[0])).ToDictionary(p => p.key, p => p.silo, StringComparer.Ordinal);
        var bySilo = siloOf.GroupBy(p => p.Value, p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        if (bySilo.Count < 2)
        {
            throw new InvalidOperationException($"All {relays} relays went to {bySilo.Keys.Single()}; the gateways are picked at random, so run again.");
        }

        // Each relay's target is activated by a relay on the next silo (in name order), round-robin.
        var silos = bySilo.Keys.Order(StringComparer.Ordinal).ToArray();
        var targets = keys.ToDictionary(k => k, k => $"target-of-{k}", StringComparer.Ordinal);
        await Task.WhenAll(keys.Select((key, i) =>
        {
            var others = bySilo[silos[(Array.IndexOf(silos, siloOf[key]) + 1) % silos.Length]];
            return cluster.Client.GetGrain<IRelayGrain>(others[i % others.Length]).RelayAsync(targets[key], TimeSpan.Zero, 1);
        }));

        var targetSilos = await cluster.DirectoryAsync("sample.echo", targets.Values);
        var pairs = keys
            .Where(k => targetSilos.TryGetValue(targets[k], out var targetSilo) && targetSilo != siloOf[k])
            .Select(k => (cluster.Client.GetGrain<IRelayGrain>(k), targets[k]))
            .ToArray();
        if (pairs.Length == 0)
        {
            throw new InvalidOperationException("No relay's target is on another silo.");
        }

        var placement = $"{pairs.Length} of {relays} relay→target pairs on different silos (checked in the directory); relays per silo: "
            + string.Join(", ", silos.Select(s => $"{s} {bySilo[s].Length}"));
        return new SiloToSiloCalls(pairs, placement);
    }

    /// <summary>Every relay calls its target with <paramref name="concurrencyPerRelay"/> loops for <paramref name="duration"/>; returns the calls answered.</summary>
    public async Task<(long Calls, TimeSpan Elapsed)> MeasureAsync(int concurrencyPerRelay, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(_pairs.Select(p => p.Relay.RelayAsync(p.Target, duration, concurrencyPerRelay)));
        return (counts.Sum(), Stopwatch.GetElapsedTime(started));
    }
}
