using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;

namespace MarketSpine.Actors.Tests.Engine;

public sealed class LifecycleTests
{
    [Fact]
    public async Task DeactivateOnIdle_ends_the_activation_and_the_next_call_starts_a_new_one()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("d");
        await grain.Add(41);
        var first = await grain.ActivationNumber();

        await grain.Deactivate();
        await silo.Probe.WaitFor($"deactivate:d:{DeactivationReason.Requested}");

        Assert.Equal(1, await grain.Increment());
        Assert.NotEqual(first, await grain.ActivationNumber());
        Assert.Equal(2, silo.Probe.Count("activate:d"));
    }

    [Fact]
    public async Task Idle_activations_are_collected_after_the_collection_age_and_busy_ones_are_not()
    {
        await using var silo = await TestSilo.StartAsync();
        var idle = silo.Grains.GetGrain<ICounterGrain>("idle");
        var busy = silo.Grains.GetGrain<ICounterGrain>("busy");
        await idle.Increment();
        await busy.Increment();

        for (var minute = 1; minute <= 14; minute++)
        {
            silo.Time.Advance(TimeSpan.FromMinutes(1));
            await busy.Increment();
        }

        Assert.Equal(2, silo.Silo.ActivationCount);
        silo.Time.Advance(TimeSpan.FromMinutes(1));
        await silo.Probe.WaitFor($"deactivate:idle:{DeactivationReason.Idle}");

        Assert.Equal(0, silo.Probe.Count($"deactivate:busy:{DeactivationReason.Idle}"));
        Assert.Equal(16, await busy.Increment());
    }

    [Fact]
    public async Task Stopping_the_silo_deactivates_every_activation()
    {
        var silo = await TestSilo.StartAsync();
        await silo.Grains.GetGrain<ICounterGrain>("s1").Increment();
        await silo.Grains.GetGrain<ICounterGrain>("s2").Increment();

        await silo.DisposeAsync();

        Assert.Equal(1, silo.Probe.Count($"deactivate:s1:{DeactivationReason.SiloStopping}"));
        Assert.Equal(1, silo.Probe.Count($"deactivate:s2:{DeactivationReason.SiloStopping}"));
        Assert.Equal(0, silo.Silo.ActivationCount);
    }
}
