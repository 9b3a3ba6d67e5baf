using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;

namespace MarketSpine.Actors.Tests.Engine;

/// <summary>
/// Turn-based concurrency. A call is enqueued synchronously when the proxy is invoked, so a call
/// made after another one has reached the activation's mailbox first; an [AlwaysInterleave] peek
/// then shows exactly what is running, without waiting for anything not to happen.
/// </summary>
public sealed class TurnTests
{
    [Fact]
    public async Task A_request_waits_for_the_running_one_to_finish_even_across_its_awaits()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>("t");
        var first = grain.Hold("g1");
        await silo.Probe.WaitFor("t:entered:g1");

        var second = grain.Hold("g2");

        Assert.Equal(1, await grain.Peek());
        Assert.False(second.IsCompleted);
        Assert.Equal(["t:entered:g1"], silo.Probe.Events);
        silo.Probe.Open("g1");
        await silo.Probe.WaitFor("t:entered:g2");
        await first;
        silo.Probe.Open("g2");
        await second;
    }

    [Fact]
    public async Task A_waiting_always_interleave_request_holds_no_ordinary_request_back()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>("long-poll");
        var poll = grain.WaitInterleaved("poll");
        await silo.Probe.WaitFor("long-poll:waiting:poll");

        var hold = grain.Hold("work");
        await silo.Probe.WaitFor("long-poll:entered:work");
        silo.Probe.Open("work");
        await hold.WaitAsync(Probe.WaitLimit);

        Assert.Equal(0, await grain.Running().WaitAsync(Probe.WaitLimit));
        Assert.False(poll.IsCompleted);
        silo.Probe.Open("poll");
        await poll.WaitAsync(Probe.WaitLimit);
    }

    [Fact]
    public async Task A_reentrant_grain_interleaves_requests_at_their_awaits()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IReentrantTurnGrain>("r");
        var first = grain.Hold("g1");
        var second = grain.Hold("g2");
        await silo.Probe.WaitFor("r:entered:g1");
        await silo.Probe.WaitFor("r:entered:g2");

        Assert.Equal(2, await grain.Running());
        silo.Probe.OpenAll();
        await Task.WhenAll(first, second);
    }

    [Fact]
    public async Task Read_only_requests_interleave_with_each_other_but_not_with_a_writer()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ITurnGrain>("ro");
        var read1 = grain.ReadHold("r1");
        var read2 = grain.ReadHold("r2");
        await silo.Probe.WaitFor("ro:entered:r1");
        await silo.Probe.WaitFor("ro:entered:r2");
        Assert.Equal(2, await grain.ReadRunning());

        var writer = grain.Running();
        var laterReader = grain.ReadRunning();

        Assert.Equal(2, await grain.Peek());
        Assert.False(writer.IsCompleted);
        Assert.False(laterReader.IsCompleted);
        silo.Probe.OpenAll();
        Assert.Equal(0, await writer);
        Assert.Equal(0, await laterReader);
        await Task.WhenAll(read1, read2);
    }

    [Fact]
    public async Task Concurrent_callers_lose_no_update_on_any_grain()
    {
        await using var silo = await TestSilo.StartAsync();
        var grains = Enumerable.Range(0, 200).Select(i => silo.Grains.GetGrain<ICounterGrain>($"c{i}")).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            for (var round = 0; round < 25; round++)
            {
                await Task.WhenAll(grains.Select(g => g.Increment()));
            }
        }))).WaitAsync(Probe.WaitLimit);

        var totals = await Task.WhenAll(grains.Select(g => g.Add(0).AsTask()));
        Assert.All(totals, total => Assert.Equal(8 * 25, total));
        Assert.Equal(200, silo.Silo.ActivationCount);
    }

    [Fact]
    public async Task Turns_never_overlap_even_when_requests_interleave()
    {
        await using var silo = await TestSilo.StartAsync();
        var reentrant = silo.Grains.GetGrain<IReentrantTurnGrain>("spin");
        var plain = silo.Grains.GetGrain<ITurnGrain>("spin");

        var overlaps = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => reentrant.SumOnThreadCheck(200))
            .Concat(Enumerable.Range(0, 8).Select(_ => plain.SumOnThreadCheck(200))));

        Assert.All(overlaps, count => Assert.Equal(0, count));
    }
}
