using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Runtime;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Actors.Tests.Engine;

public sealed class CallTests
{
    [Fact]
    public async Task Calls_reach_one_activation_per_key_and_return_every_result_shape()
    {
        await using var silo = await TestSilo.StartAsync();
        var a = silo.Grains.GetGrain<ICounterGrain>("a");

        Assert.Equal(1, await a.Increment());
        Assert.Equal(2, await silo.Grains.GetGrain<ICounterGrain>("a").Increment());
        Assert.Equal(12, await a.Add(10));
        await a.Touch();
        await a.Reset();
        Assert.Equal(1, await a.Increment());
        Assert.Equal(1, await silo.Grains.GetGrain<ICounterGrain>("b").Increment());
        Assert.Equal("CounterGrain/a", await a.WhoAmI());
        Assert.Equal(1, silo.Probe.Count("activate:a"));
        Assert.Equal(2, silo.Silo.ActivationCount);
    }

    [Fact]
    public async Task A_grains_exception_reaches_the_caller_and_the_grain_keeps_working()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("thrower");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Fail("boom"));

        Assert.Equal("boom", error.Message);
        Assert.Equal(1, await grain.Increment());
    }

    [Fact]
    public async Task The_cluster_client_reaches_the_same_activations()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Grains.GetGrain<ICounterGrain>("shared").Add(5);

        Assert.Equal(6, await silo.Client.GetGrain<ICounterGrain>("shared").Increment());
    }

    [Fact]
    public async Task References_to_the_same_grain_are_equal_and_name_it()
    {
        await using var silo = await TestSilo.StartAsync();
        var first = silo.Grains.GetGrain<ICounterGrain>("x");
        var second = silo.Grains.GetGrain<ICounterGrain>("x");

        Assert.Equal(first, second);
        Assert.NotEqual(first, silo.Grains.GetGrain<ICounterGrain>("y"));
        Assert.Equal("CounterGrain/x", first.ToString());
        Assert.Equal(new GrainId("CounterGrain", "x"), ((GrainProxy)(object)first).GrainId);
    }

    [Fact]
    public async Task A_failed_activation_fails_its_waiting_calls_and_the_next_call_activates_again()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IFailingGrain>("f");

        var error = await Assert.ThrowsAsync<GrainActivationException>(() => grain.Hello());

        Assert.Contains("FailingGrain/f could not be activated: first activation fails", error.Message, StringComparison.Ordinal);
        Assert.Equal("hello", await grain.Hello());
        Assert.Equal(1, silo.Silo.GetStatistics().ErrorsByKind["activation_failed"]);
    }

    [Fact]
    public async Task A_silo_that_is_not_started_refuses_calls()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Probe());
        services.AddMarketSpineActors(builder => builder.AddGrain<CounterGrain>());
        await using var provider = services.BuildServiceProvider();

        await Assert.ThrowsAsync<SiloUnavailableException>(() => provider.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("x").Increment());
    }

    [Fact]
    public async Task A_grain_class_that_needs_a_missing_storage_fails_when_the_silo_is_built()
    {
        var services = new ServiceCollection();
        services.AddMarketSpineActors(builder => builder.AddGrain<StatefulGrain>());
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<Silo>());

        Assert.Contains("No grain storage named 'Default'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grains_are_created_by_the_runtime_only() =>
        Assert.Throws<InvalidOperationException>(() => new CounterGrain(new Probe()));
}
