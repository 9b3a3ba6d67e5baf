using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;

namespace MarketSpine.Actors.Tests.Timers;

public sealed class GrainTimerTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_timer_ticks_once_per_period_as_a_turn_and_stops_when_disposed()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ITimerGrain>("t");
        await grain.StartTimer(Period, keepAlive: false);

        silo.Time.Advance(Period);
        Assert.Equal(1, await grain.Ticks());
        silo.Time.Advance(Period);
        Assert.Equal(2, await grain.Ticks());

        await grain.StopTimer();
        silo.Time.Advance(Period * 3);
        Assert.Equal(2, await grain.Ticks());
    }

    [Fact]
    public async Task Ticks_do_not_keep_an_activation_alive_unless_asked()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grains.GetGrain<ITimerGrain>("quiet").StartTimer(TimeSpan.FromMinutes(1), keepAlive: false);
        await silo.Grains.GetGrain<ITimerGrain>("kept").StartTimer(TimeSpan.FromMinutes(1), keepAlive: true);

        for (var minute = 1; minute <= 14; minute++)
        {
            silo.Time.Advance(TimeSpan.FromMinutes(1));
            await silo.Probe.WaitFor($"tick:quiet:{minute}");
            await silo.Probe.WaitFor($"tick:kept:{minute}");
            // Both grain timers re-armed for the next minute, beside the silo's idle collector (every
            // minute): a tick still running when time moves on would re-arm a minute late.
            await silo.Time.WaitForTimerAsync(TestSilo.Start + TimeSpan.FromMinutes(minute + 1), count: 3);
        }

        silo.Time.Advance(TimeSpan.FromMinutes(1));
        await silo.Probe.WaitFor($"deactivate:quiet:{DeactivationReason.Idle}");

        Assert.Equal(0, silo.Probe.Count($"deactivate:kept:{DeactivationReason.Idle}"));
        await silo.Probe.WaitFor("tick:kept:15");
        Assert.Equal(15, await silo.Grains.GetGrain<ITimerGrain>("kept").Ticks());
    }
}
