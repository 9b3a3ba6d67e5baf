using System.Diagnostics;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;
using MarketSpine.Testing;
using Xunit.Abstractions;

namespace MarketSpine.Actors.Tests.Cluster;

[Collection(OneClusterAtATime.Name)]
public sealed class SingleActivationTests(ITestOutputHelper output)
{
    private const int GrainCount = 1_000;
    private const int CallsPerCaller = 5_000; // per process: three silos and a client make 20,000

    /// <summary>
    /// 20,000 appends from three silos and a client to 1,000 grains, many of them first called from
    /// several silos at once. The grains enter a registry shared by all silos when they activate, so a
    /// second activation of a key anywhere is caught; every append writes state and returns the grain's
    /// entry count, so per grain the answers must be exactly 1..n and the stored counts must add up.
    /// </summary>
    [PostgresFact]
    public async Task Twenty_thousand_calls_from_every_silo_and_a_client_meet_one_activation_per_grain_and_every_write_counts()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await using var client = await cluster.ConnectClientAsync();
        IGrainFactory[] callers = [.. cluster.Silos.Select(s => s.Grains), client];
        var answers = Enumerable.Range(0, GrainCount).Select(_ => new List<int>()).ToArray();
        var watch = Stopwatch.StartNew();

        async Task CallAsync(IGrainFactory caller, int seed, int calls)
        {
            var random = new Random(seed);
            for (var n = 0; n < calls; n++)
            {
                var i = random.Next(GrainCount);
                var count = await caller.GetGrain<ILedgerGrain>($"one-{i}").Append(i);
                lock (answers[i])
                {
                    answers[i].Add(count);
                }
            }
        }

        // 20 callers per process, each with its own seed: the first calls of a grain often come from
        // several silos at the same moment, which is when two activations could arise.
        const int callersPerProcess = 20;
        await Task.WhenAll(callers.SelectMany((caller, c) => Enumerable.Range(0, callersPerProcess)
            .Select(k => Task.Run(() => CallAsync(caller, (c * callersPerProcess) + k, CallsPerCaller / callersPerProcess)))));
        watch.Stop();

        var total = callers.Length * CallsPerCaller;
        output.WriteLine($"{total} calls in {watch.Elapsed.TotalSeconds:F2} s ({total / watch.Elapsed.TotalSeconds:F0}/s), "
                         + $"{cluster.Registry.Activations} activations, per silo {string.Join(", ", cluster.Silos.Select(s => $"{s.Name}: {s.Silo.ActivationCount}"))}; "
                         + $"directory cache hits/misses {string.Join(", ", cluster.Silos.Select(s => $"{s.Silo.GetStatistics().Directory.CacheHits}/{s.Silo.GetStatistics().Directory.CacheMisses}"))}.");
        Assert.Empty(cluster.Registry.Violations);
        Assert.Equal(answers.Count(a => a.Count > 0), cluster.Registry.Activations);
        Assert.Equal(cluster.Registry.Activations, cluster.Silos.Sum(s => s.Silo.ActivationCount));
        for (var i = 0; i < GrainCount; i++)
        {
            Assert.Equal(Enumerable.Range(1, answers[i].Count), answers[i].Order());
        }

        await using var stored = cluster.DataSource.CreateCommand(
            "SELECT count(*), COALESCE(sum((state->>'Count')::int), 0), COALESCE(sum((state->>'Sum')::bigint), 0) FROM grain_state WHERE grain_type = 'ledger/ledger'");
        await using var reader = await stored.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var expectedSum = answers.Select((a, i) => (long)a.Count * i).Sum();
        Assert.Equal((answers.Count(a => a.Count > 0), (long)total, expectedSum), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    /// <summary>How fast silos create activations that each register in the PostgreSQL directory (the issue asks for 2,000/s).</summary>
    [PostgresFact]
    public async Task New_activations_each_register_once_in_the_directory()
    {
        const int perSilo = 1_500;
        await using var cluster = await TestCluster.StartAsync(3);
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(cluster.Silos.SelectMany(silo => Enumerable.Range(0, 64).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; i < perSilo; i += 64)
            {
                await silo.Grains.GetGrain<ICounterGrain>($"{silo.Name}-{i}").Touch();
            }
        }))));
        watch.Stop();

        var activations = cluster.Silos.Count * perSilo;
        output.WriteLine($"{activations} new activations with directory registration in {watch.Elapsed.TotalSeconds:F2} s: {activations / watch.Elapsed.TotalSeconds:F0}/s.");
        await using var rows = cluster.DataSource.CreateCommand("SELECT count(*), count(DISTINCT activation_id) FROM grain_directory WHERE grain_type = 'CounterGrain'");
        await using var reader = await rows.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((activations, activations), (reader.GetInt64(0), reader.GetInt64(1)));
        Assert.All(cluster.Silos, silo => Assert.Equal(perSilo, silo.Silo.ActivationCount));
    }
}
