using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Tests.Cluster;

/// <summary>Calls between silos behave as calls within one: results, errors, timeouts, deadlocks, references, placement.</summary>
[Collection(OneClusterAtATime.Name)]
public sealed class RoutingTests
{
    [PostgresFact]
    public async Task Calls_from_every_silo_reach_the_one_activation_where_the_first_call_placed_it()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var silos = cluster.Silos;

        Assert.Equal(1, await silos[1].Grains.GetGrain<ILedgerGrain>("a").Append(10));
        Assert.Equal(2, await silos[0].Grains.GetGrain<ILedgerGrain>("a").Append(20));
        Assert.Equal(3, await silos[2].Grains.GetGrain<ILedgerGrain>("a").Append(30));

        Assert.Equal(silos[1].Name, await silos[0].Grains.GetGrain<ILedgerGrain>("a").Where());
        Assert.Equal(60, (await silos[2].Grains.GetGrain<ILedgerGrain>("a").Read()).Sum);
        Assert.Equal(1, cluster.Registry.Activations);
        Assert.Equal([0, 1, 0], silos.Select(s => s.Silo.ActivationCount));
    }

    /// <summary>
    /// Silo A remembers that the grain lives on B. The grain moves to C; A's next call still goes to B,
    /// whose new activation loses the registration to C's and passes the call on; the answer names C,
    /// and A's following calls are cache hits again.
    /// </summary>
    [PostgresFact]
    public async Task A_stale_cache_entry_is_corrected_by_the_silo_it_points_at()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (a, b, c) = (cluster.Silos[0], cluster.Silos[1], cluster.Silos[2]);
        await b.Grains.GetGrain<ILedgerGrain>("moving").Append(1);
        Assert.Equal(b.Name, await a.Grains.GetGrain<ILedgerGrain>("moving").Where());
        await b.Grains.GetGrain<ILedgerGrain>("moving").Deactivate();
        await Eventually.TrueAsync(() => Task.FromResult(b.Silo.ActivationCount == 0), Probe.WaitLimit, "the grain leaves silo B");
        Assert.Equal(c.Name, await c.Grains.GetGrain<ILedgerGrain>("moving").Where());
        var hits = a.Silo.GetStatistics().Directory.CacheHits;

        Assert.Equal(2, await a.Grains.GetGrain<ILedgerGrain>("moving").Append(1));
        Assert.Equal(c.Name, await a.Grains.GetGrain<ILedgerGrain>("moving").Where());

        Assert.Equal(hits + 2, a.Silo.GetStatistics().Directory.CacheHits);
        Assert.Equal(0, b.Silo.ActivationCount);
        Assert.Equal(2, cluster.Registry.Activations);
        Assert.Empty(cluster.Registry.Violations);
    }

    [PostgresFact]
    public async Task A_remote_grains_exceptions_keep_their_type_and_message_or_name_it()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (host, caller) = (cluster.Silos[0], cluster.Silos[1]);
        await host.Grains.GetGrain<ICounterGrain>("thrower").Touch();
        await host.Grains.GetGrain<ITroubleGrain>("trouble").Touch();
        await using var client = await cluster.ConnectClientAsync();

        var invalid = await Assert.ThrowsAsync<InvalidOperationException>(() => caller.Grains.GetGrain<ICounterGrain>("thrower").Fail("boom"));
        var argument = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => caller.Grains.GetGrain<ITroubleGrain>("trouble").ThrowArgument("too far"));
        var quota = await Assert.ThrowsAsync<RemoteGrainException>(() => caller.Grains.GetGrain<ITroubleGrain>("trouble").ThrowQuota(3));
        var fromClient = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetGrain<ICounterGrain>("thrower").Fail("boom for the client"));

        Assert.Equal("boom", invalid.Message);
        Assert.Equal("too far (Parameter 'message')", argument.Message);
        Assert.Equal((typeof(QuotaExceededException).FullName, "The quota of 3 is used up."), (quota.RemoteType, quota.Message));
        Assert.Equal("boom for the client", fromClient.Message);
        Assert.Equal(1, await caller.Grains.GetGrain<ICounterGrain>("thrower").Increment());
    }

    /// <summary>The remote silo's own timeout answers, so the caller learns what the activation was busy with.</summary>
    [PostgresFact]
    public async Task A_remote_call_that_gets_no_answer_times_out_with_the_hosts_explanation()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (host, caller) = (cluster.Silos[0], cluster.Silos[1]);
        await host.Grains.GetGrain<IChainGrain>("stall").Leaf();

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => caller.Grains.GetGrain<IChainGrain>("stall").Stall("never").WaitAsync(Probe.WaitLimit));

        Assert.StartsWith("The call ChainGrain/stall.Stall got no answer within 00:00:02.", error.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task A_call_cycle_across_silos_fails_at_once_naming_the_chain()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (first, second) = (cluster.Silos[0], cluster.Silos[1]);
        await first.Grains.GetGrain<IChainGrain>("a").Leaf();
        await second.Grains.GetGrain<IChainGrain>("b").Leaf();

        var error = await Assert.ThrowsAsync<GrainDeadlockException>(() => first.Grains.GetGrain<IChainGrain>("a").Relay(["b", "a"]).WaitAsync(Probe.WaitLimit));

        Assert.StartsWith("Deadlock: ChainGrain/a.Relay → ChainGrain/b.Relay → ChainGrain/a.Leaf.", error.Message, StringComparison.Ordinal);
        Assert.Equal("a>b>c", await first.Grains.GetGrain<IChainGrain>("a").Relay(["b", "c"]));
    }

    [PostgresFact]
    public async Task A_grain_reference_passed_to_another_silo_calls_back_the_grain()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (first, second) = (cluster.Silos[0], cluster.Silos[1]);
        await second.Grains.GetGrain<IChainGrain>("other").Leaf();

        Assert.Equal("other>me(interleaved)", await first.Grains.GetGrain<IChainGrain>("me").IntroduceTo("other"));
    }

    /// <summary>Whichever silo claims a due reminder, the tick goes to the grain where it lives.</summary>
    [PostgresFact]
    public async Task A_reminder_claimed_by_one_silo_reaches_its_grain_on_another()
    {
        await using var cluster = await TestCluster.StartAsync(2, (builder, dataSource) => builder.UsePostgresReminders(dataSource));
        var (host, claimer) = (cluster.Silos[0], cluster.Silos[1]);
        var reminder = await host.Grains.GetGrain<IReminderGrain>("remote-tick")
            .Register("tick", ReminderSchedule.Once(DateTimeOffset.UtcNow.AddSeconds(1)), null);

        // The host's timers (its reminder poll among them) stand still for a moment, well inside the
        // death timeout, so the other silo is the one that claims the tick.
        cluster.PauseSilo(host);
        await cluster.Probe.WaitFor($"remote-tick/tick@{reminder.NextDue!.Value.UtcDateTime:HH:mm:ss}+0");
        cluster.ResumeSilo(host);

        // Normally the claimer delivers; on a loaded machine the host may already have claimed the
        // tick before it paused. Either way the tick is delivered once, to the grain on the host.
        // The probe fires inside the grain's turn; the delivering silo counts the tick once the answer is back.
        await Eventually.TrueAsync(
            () => Task.FromResult(claimer.Silo.GetStatistics().Reminders.Delivered + host.Silo.GetStatistics().Reminders.Delivered == 1),
            Probe.WaitLimit, "the tick counted by the silo that delivered it");
        Assert.Equal(0, claimer.Silo.ActivationCount);
    }

    [PostgresFact]
    public async Task Random_placement_spreads_new_grains_and_least_activations_placement_avoids_the_busiest_silo()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var busy = cluster.Silos[0];
        for (var i = 0; i < 30; i++)
        {
            await busy.Grains.GetGrain<ICounterGrain>($"load-{i}").Touch();
        }

        var random = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => busy.Grains.GetGrain<IRandomlyPlacedGrain>($"r-{i}").Where()));
        var balanced = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => busy.Grains.GetGrain<IBalancedGrain>($"b-{i}").Where()));

        // Two silos out of three each get none of 60 random grains with a chance of about 1e-10.
        Assert.Equal(cluster.Silos.Select(s => s.Name).Order(), random.Distinct().Order());
        Assert.DoesNotContain(busy.Name, balanced);
    }
}
