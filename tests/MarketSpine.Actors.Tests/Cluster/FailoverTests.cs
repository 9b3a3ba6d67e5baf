using System.Collections.Concurrent;
using System.Diagnostics;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;
using MarketSpine.Testing;
using Xunit.Abstractions;

namespace MarketSpine.Actors.Tests.Cluster;

[Collection(OneClusterAtATime.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int GrainCount = 120;

    /// <summary>
    /// Callers on two silos and a client keep appending to 120 grains, a third of them on the silo that
    /// is killed. Until the dead silo is declared dead its grains fail fast (never hang); then they come
    /// back on the survivors. Each append writes state and returns the grain's entry count, so the final
    /// count must equal the successful appends exactly: no failed call was applied, no success was lost.
    /// </summary>
    [PostgresFact]
    public async Task A_killed_silos_grains_answer_from_other_silos_within_ten_seconds_and_keep_their_last_successful_write()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var silos = cluster.Silos;
        var victim = silos[2];
        await using var client = await cluster.ConnectClientAsync();
        var keys = Enumerable.Range(0, GrainCount).Select(i => $"kill-{i}").ToArray();
        var successes = new int[GrainCount];
        var highest = new int[GrainCount];
        for (var i = 0; i < GrainCount; i++)
        {
            Assert.Equal(1, await silos[i % 3].Grains.GetGrain<ILedgerGrain>(keys[i]).Append(1));
            successes[i] = highest[i] = 1;
        }

        var onVictim = Enumerable.Range(0, GrainCount).Where(i => i % 3 == 2).ToArray();
        Assert.All(onVictim, i => Assert.Equal(victim.Name, cluster.Registry.SiloOf(keys[i])));

        IGrainFactory[] callers = [silos[0].Grains, silos[1].Grains, client];
        var backAfter = new long[GrainCount];
        var killedAt = 0L;
        var longestCall = 0L;
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();

        async Task WorkAsync(IGrainFactory caller, int seed)
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                var i = random.Next(GrainCount);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var count = await caller.GetGrain<ILedgerGrain>(keys[i]).Append(1);
                    Interlocked.Increment(ref successes[i]);
                    InterlockedMax(ref highest[i], count);
                    var killed = Volatile.Read(ref killedAt);
                    if (killed != 0 && started > killed)
                    {
                        Interlocked.CompareExchange(ref backAfter[i], Stopwatch.GetTimestamp() - killed, 0);
                    }
                }
                catch (Exception exception)
                {
                    failures.AddOrUpdate(exception.GetType().Name, 1, static (_, n) => n + 1);
                }

                InterlockedMax(ref longestCall, Stopwatch.GetTimestamp() - started);
            }
        }

        var workers = Enumerable.Range(0, 24).Select(w => Task.Run(() => WorkAsync(callers[w % 3], w))).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(successes.Sum() > GrainCount + 1_000), TimeSpan.FromSeconds(20), "1,000 appends before the kill");

        await cluster.KillSiloAsync(victim);
        Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
        await Eventually.TrueAsync(() => Task.FromResult(onVictim.All(i => Volatile.Read(ref backAfter[i]) != 0)), TimeSpan.FromSeconds(15),
            "every grain of the killed silo answering again");
        await stop.CancelAsync();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(35));

        var failover = TimeSpan.FromSeconds((double)onVictim.Max(i => backAfter[i]) / Stopwatch.Frequency);
        var longest = TimeSpan.FromSeconds((double)longestCall / Stopwatch.Frequency);
        output.WriteLine($"Failover: every grain of the killed silo answered again {failover.TotalSeconds:F2} s after the kill; "
                         + $"{successes.Sum()} appends succeeded; failures {string.Join(", ", failures.Select(f => $"{f.Key} × {f.Value}"))}; longest call {longest.TotalMilliseconds:F0} ms.");
        Assert.True(failover < TimeSpan.FromSeconds(10), $"The killed silo's grains came back after {failover}.");
        Assert.True(longest < TimeSpan.FromSeconds(5), $"A call took {longest}.");
        Assert.Equal(["SiloUnavailableException"], failures.Keys);
        for (var i = 0; i < GrainCount; i++)
        {
            var state = await silos[i % 2].Grains.GetGrain<ILedgerGrain>(keys[i]).Read();
            Assert.Equal((keys[i], successes[i], successes[i]), (keys[i], state.Count, highest[i]));
            Assert.NotEqual(victim.Name, await silos[0].Grains.GetGrain<ILedgerGrain>(keys[i]).Where());
        }

        Assert.Empty(cluster.Registry.Violations);
    }

    /// <summary>A client whose gateway dies sends the call once more through another gateway.</summary>
    [PostgresFact]
    public async Task A_clients_calls_fail_over_to_another_gateway_when_one_dies()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (dying, surviving) = (cluster.Silos[0], cluster.Silos[1]);
        await using var client = await cluster.ConnectClientAsync();
        await surviving.Grains.GetGrain<ILedgerGrain>("via-gateway").Append(1);

        await cluster.KillSiloAsync(dying);

        // Gateways are picked at random until one fails: in 40 calls the dead one is tried first at
        // least once but with a chance of 2^-40.
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(i + 2, await client.GetGrain<ILedgerGrain>("via-gateway").Append(1));
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
