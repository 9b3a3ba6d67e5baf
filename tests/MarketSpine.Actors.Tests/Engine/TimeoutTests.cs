using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;

namespace MarketSpine.Actors.Tests.Engine;

public sealed class TimeoutTests
{
    [Fact]
    public async Task A_call_that_gets_no_answer_fails_at_its_timeout_saying_what_the_grain_was_doing()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>("slow");
        var running = grain.Hold("never");
        await silo.Probe.WaitFor("slow:entered:never");
        var waiting = grain.Running();

        silo.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(running.IsCompleted);
        Assert.False(waiting.IsCompleted);
        silo.Time.Advance(TimeSpan.FromSeconds(1));

        var runningError = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => running.WaitAsync(Probe.WaitLimit));
        var waitingError = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => waiting.WaitAsync(Probe.WaitLimit));
        Assert.Equal("The call TurnGrain/slow.Hold got no answer within 00:00:30. The grain was still running it (00:00:30 so far).", runningError.Message);
        Assert.Equal("The call TurnGrain/slow.Running got no answer within 00:00:30. It waited behind TurnGrain/slow.Hold, which had not finished.", waitingError.Message);
        var statistics = silo.Silo.GetStatistics().Calls.Single(c => c.Method == "Hold");
        Assert.Equal((1, 1, TimeSpan.FromSeconds(30)), (statistics.Calls, statistics.Timeouts, statistics.MaxLatency));
    }

    [Fact]
    public async Task A_method_can_set_its_own_timeout()
    {
        await using var silo = await TestSilo.StartAsync();
        var call = silo.Grains.GetGrain<IChainGrain>("stall").Stall("never");

        silo.Time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => call.WaitAsync(Probe.WaitLimit));
        Assert.StartsWith("The call ChainGrain/stall.Stall got no answer within 00:00:02.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_timeout_is_configurable()
    {
        await using var silo = await TestSilo.StartAsync(builder => builder.Configure(o => o.DefaultCallTimeout = TimeSpan.FromSeconds(5)));
        var call = silo.Grains.GetGrain<ITurnGrain>("quick").Hold("never");
        await silo.Probe.WaitFor("quick:entered:never");

        silo.Time.Advance(TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => call.WaitAsync(Probe.WaitLimit));
    }
}
