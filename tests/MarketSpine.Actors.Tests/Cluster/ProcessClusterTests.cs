using System.Collections.Concurrent;
using System.Diagnostics;
using MarketSpine.Actors.SampleGrains;
using MarketSpine.Actors.Testing;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Testing;
using Xunit.Abstractions;

namespace MarketSpine.Actors.Tests.Cluster;

/// <summary>
/// The cluster behaviours again with every silo its own <c>spine-silo</c> process, talking TCP: what a
/// deployment runs. A client deposits into accounts while one silo is killed or stopped; each deposit
/// writes state and answers with the account's deposit count, so the final counts must equal the
/// successful deposits exactly.
/// </summary>
[Collection(OneClusterAtATime.Name)]
public sealed class ProcessClusterTests(ITestOutputHelper output)
{
    private const int AccountCount = 150;
    private const int Workers = 16;

    [PostgresFact]
    public async Task A_killed_silo_process_grains_answer_from_the_other_processes_within_ten_seconds()
    {
        await using var cluster = await SiloProcessCluster.StartAsync(3);
        await using var load = await Load.StartAsync(cluster);
        var victim = cluster.Silos[2];
        var onVictim = load.AccountsOn(victim.Name);
        Assert.NotEmpty(onVictim);

        await load.RunUntilAsync(1_000);
        victim.Kill();
        load.MarkEvent();
        await Eventually.TrueAsync(() => Task.FromResult(onVictim.All(load.AnsweredAfterEvent)), TimeSpan.FromSeconds(20),
            "every account of the killed silo answering again");
        await load.StopAsync();

        var failover = load.LatestReturnAfterEvent(onVictim);
        output.WriteLine($"Killed {victim.Name}: its {onVictim.Count} accounts answered again within {failover.TotalSeconds:F2} s; {load.Describe()}.");
        Assert.True(failover < TimeSpan.FromSeconds(10), $"The killed silo's grains came back after {failover}.");
        Assert.True(load.LongestCall < TimeSpan.FromSeconds(10), $"A call took {load.LongestCall}: calls to a dead silo must fail fast.");
        Assert.All(load.Failures.Keys, kind => Assert.Equal("SiloUnavailableException", kind));
        await load.AssertEveryDepositAccountedForAsync(notOn: victim.Name);
    }

    [PostgresFact]
    public async Task A_silo_process_stopped_with_SIGTERM_under_load_hands_its_grains_over_without_a_failed_call()
    {
        await using var cluster = await SiloProcessCluster.StartAsync(3);
        await using var load = await Load.StartAsync(cluster);
        var leaving = cluster.Silos[1];
        var onLeaving = load.AccountsOn(leaving.Name);
        Assert.NotEmpty(onLeaving);

        await load.RunUntilAsync(1_000);
        load.MarkEvent();
        var exit = await leaving.TerminateAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => Task.FromResult(onLeaving.All(load.AnsweredAfterEvent)), TimeSpan.FromSeconds(20),
            "every account of the stopped silo answering again");
        await load.StopAsync();

        output.WriteLine($"Stopped {leaving.Name} (exit {exit}); its {onLeaving.Count} accounts answered again within "
                         + $"{load.LatestReturnAfterEvent(onLeaving).TotalSeconds:F2} s; {load.Describe()}.");
        Assert.True(exit == 0, $"spine-silo exited {exit} on SIGTERM:{Environment.NewLine}{leaving.Output}");
        Assert.Equal("dead", await cluster.StatusOfAsync(leaving.Name));
        Assert.Empty(load.Failures);
        await load.AssertEveryDepositAccountedForAsync(notOn: leaving.Name);
    }

    /// <summary>Deposits from <see cref="Workers"/> concurrent loops of the cluster's client into random accounts.</summary>
    private sealed class Load : IAsyncDisposable
    {
        private readonly SiloProcessCluster _cluster;
        private readonly string[] _keys = [.. Enumerable.Range(0, AccountCount).Select(i => $"account-{i}")];
        private readonly int[] _successes = new int[AccountCount];
        private readonly int[] _failures = new int[AccountCount];
        private readonly string[] _placedOn = new string[AccountCount];
        private readonly long[] _answeredAfterEvent = new long[AccountCount];
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _workers = [];
        private long _eventAt;
        private long _longestCall;

        private Load(SiloProcessCluster cluster) => _cluster = cluster;

        public ConcurrentDictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);

        public TimeSpan LongestCall => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _longestCall));

        /// <summary>Makes one deposit into every account (placing them across the silos) and starts the workers.</summary>
        public static async Task<Load> StartAsync(SiloProcessCluster cluster)
        {
            var load = new Load(cluster);
            await Parallel.ForAsync(0, AccountCount, async (i, _) =>
            {
                var deposit = await cluster.Client.GetGrain<IAccountGrain>(load._keys[i]).DepositAsync(1);
                Assert.Equal(1, deposit.Deposits);
                load._successes[i] = 1;
                load._placedOn[i] = deposit.Silo.Split('@')[0];
            });
            for (var w = 0; w < Workers; w++)
            {
                var seed = w;
                load._workers.Add(Task.Run(() => load.WorkAsync(seed)));
            }

            return load;
        }

        public List<int> AccountsOn(string silo) => [.. Enumerable.Range(0, AccountCount).Where(i => _placedOn[i] == silo)];

        public Task RunUntilAsync(int deposits) =>
            Eventually.TrueAsync(() => Task.FromResult(_successes.Sum() >= AccountCount + deposits),
                TimeSpan.FromSeconds(30), $"{deposits} deposits");

        public void MarkEvent() => Volatile.Write(ref _eventAt, Stopwatch.GetTimestamp());

        /// <summary>Whether a deposit into account <paramref name="i"/> sent after the event has succeeded.</summary>
        public bool AnsweredAfterEvent(int i) => Volatile.Read(ref _answeredAfterEvent[i]) != 0;

        public TimeSpan LatestReturnAfterEvent(IEnumerable<int> accounts) =>
            Stopwatch.GetElapsedTime(0, accounts.Max(i => Volatile.Read(ref _answeredAfterEvent[i])));

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_workers).WaitAsync(TimeSpan.FromSeconds(40));
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }

        public string Describe() =>
            $"{_successes.Sum()} deposits succeeded; failures: {(Failures.IsEmpty ? "none" : string.Join(", ", Failures.Select(f => $"{f.Key} × {f.Value}")))}; "
            + $"longest call {LongestCall.TotalMilliseconds:F0} ms";

        /// <summary>
        /// Every deposit that succeeded is stored, and nothing else but deposits whose caller got an
        /// error: a silo killed after writing but before answering leaves a write its caller saw fail.
        /// With no failures, the stored counts are exactly the successes. Every account is active on a
        /// surviving silo.
        /// </summary>
        public async Task AssertEveryDepositAccountedForAsync(string notOn)
        {
            for (var i = 0; i < AccountCount; i++)
            {
                var account = _cluster.Client.GetGrain<IAccountGrain>(_keys[i]);
                var stored = (await account.ReadAsync()).Deposits;
                Assert.True(stored >= _successes[i] && stored <= _successes[i] + _failures[i],
                    $"{_keys[i]} stored {stored} deposits; {_successes[i]} succeeded and {_failures[i]} failed.");
                Assert.NotEqual(notOn, (await account.WhereAsync()).Split('@')[0]);
            }
        }

        private async Task WorkAsync(int seed)
        {
            var random = new Random(seed);
            while (!_stop.IsCancellationRequested)
            {
                var i = random.Next(AccountCount);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await _cluster.Client.GetGrain<IAccountGrain>(_keys[i]).DepositAsync(1);
                    Interlocked.Increment(ref _successes[i]);
                    var eventAt = Volatile.Read(ref _eventAt);
                    if (eventAt != 0 && started > eventAt)
                    {
                        Interlocked.CompareExchange(ref _answeredAfterEvent[i], Stopwatch.GetTimestamp() - eventAt, 0);
                    }
                }
                catch (Exception exception)
                {
                    Interlocked.Increment(ref _failures[i]);
                    Failures.AddOrUpdate(exception.GetType().Name, 1, static (_, n) => n + 1);
                }

                var elapsed = Stopwatch.GetTimestamp() - started;
                var longest = Volatile.Read(ref _longestCall);
                while (elapsed > longest && Interlocked.CompareExchange(ref _longestCall, elapsed, longest) != longest)
                {
                    longest = Volatile.Read(ref _longestCall);
                }
            }
        }
    }
}
