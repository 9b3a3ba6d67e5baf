using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;

namespace MarketSpine.Actors.Tests.Engine;

public sealed class DeadlockTests
{
    [Fact]
    public async Task A_call_cycle_through_a_non_reentrant_grain_fails_at_once_naming_the_chain()
    {
        await using var silo = await TestSilo.StartAsync();
        var a = silo.Grains.GetGrain<IChainGrain>("a");

        var error = await Assert.ThrowsAsync<GrainDeadlockException>(() => a.Relay(["b", "a"]));

        Assert.StartsWith("Deadlock: ChainGrain/a.Relay → ChainGrain/b.Relay → ChainGrain/a.Leaf.", error.Message, StringComparison.Ordinal);
        Assert.Contains("[Reentrant]", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, silo.Silo.GetStatistics().ErrorsByKind["deadlock"]);
    }

    [Fact]
    public async Task A_call_to_itself_is_a_deadlock_too()
    {
        await using var silo = await TestSilo.StartAsync();

        var error = await Assert.ThrowsAsync<GrainDeadlockException>(() => silo.Grains.GetGrain<IChainGrain>("self").Relay(["self"]));

        Assert.StartsWith("Deadlock: ChainGrain/self.Relay → ChainGrain/self.Leaf.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_without_a_cycle_and_an_always_interleave_callback_both_complete()
    {
        await using var silo = await TestSilo.StartAsync();

        Assert.Equal("a>b>c>d", await silo.Grains.GetGrain<IChainGrain>("a").Relay(["b", "c", "d"]));
        Assert.Equal("x>x(interleaved)", await silo.Grains.GetGrain<IChainGrain>("x").CallInterleavingLeafOf("x"));
    }

    [Fact]
    public async Task A_grain_can_pass_a_reference_to_itself()
    {
        await using var silo = await TestSilo.StartAsync();

        Assert.Equal("other>me(interleaved)", await silo.Grains.GetGrain<IChainGrain>("me").IntroduceTo("other"));
    }

    [Fact]
    public async Task A_fire_and_forget_call_does_not_make_a_later_call_back_a_deadlock()
    {
        await using var silo = await TestSilo.StartAsync();
        var a = silo.Grains.GetGrain<IChainGrain>("ff-a");

        Assert.Equal("ff-a", await a.FireAndForget("ff-b"));
        Assert.Equal("ff-b>ff-a", await silo.Grains.GetGrain<IChainGrain>("ff-b").Relay(["ff-a"]));
    }
}
