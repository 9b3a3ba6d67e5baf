using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.Directory;

public sealed class RegistrationBatcherTests
{
    private static readonly SiloAddress Silo = new("s", 1);

    [Fact]
    public async Task Registrations_made_while_a_batch_is_in_flight_go_together_in_the_next_and_a_lone_one_goes_at_once()
    {
        var batches = new List<IReadOnlyList<GrainAddress>>();
        var firstInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batcher = new RegistrationBatcher(async (batch, _) =>
        {
            lock (batches)
            {
                batches.Add(batch);
            }

            if (batches.Count == 1)
            {
                firstInFlight.SetResult();
                await releaseFirst.Task;
            }

            return batch.ToDictionary(a => a.Grain);
        }, maxBatch: 100);

        var lone = Address("lone");
        var first = batcher.RegisterAsync(lone);
        await firstInFlight.Task.WaitAsync(Probe.WaitLimit);
        var waiting = Enumerable.Range(0, 10).Select(i => Address($"k{i}")).ToList();
        var registered = waiting.Select(batcher.RegisterAsync).ToList();
        releaseFirst.SetResult();

        Assert.Equal(lone, await first.WaitAsync(Probe.WaitLimit));
        Assert.Equal(waiting, await Task.WhenAll(registered).WaitAsync(Probe.WaitLimit));
        Assert.Equal([1, 10], batches.Select(b => b.Count));
    }

    [Fact]
    public async Task Two_registrations_of_one_grain_never_share_a_batch()
    {
        var batches = new List<IReadOnlyList<GrainAddress>>();
        var firstInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batcher = new RegistrationBatcher(async (batch, _) =>
        {
            lock (batches)
            {
                batches.Add(batch);
            }

            if (batches.Count == 1)
            {
                firstInFlight.SetResult();
                await releaseFirst.Task;
            }

            return batch.ToDictionary(a => a.Grain);
        }, maxBatch: 100);

        var blocker = batcher.RegisterAsync(Address("blocker"));
        await firstInFlight.Task.WaitAsync(Probe.WaitLimit);
        var (one, other) = (Address("same"), Address("same"));
        var registered = new[] { batcher.RegisterAsync(one), batcher.RegisterAsync(Address("else")), batcher.RegisterAsync(other) };
        releaseFirst.SetResult();

        await blocker.WaitAsync(Probe.WaitLimit);
        await Task.WhenAll(registered).WaitAsync(Probe.WaitLimit);
        Assert.Equal([["blocker"], ["same", "else"], ["same"]], batches.Select(b => b.Select(a => a.Grain.Key).ToArray()));
        Assert.Equal(one, await registered[0]);
        Assert.Equal(other, await registered[2]);
    }

    [Fact]
    public async Task A_failed_batch_fails_every_registration_in_it()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batcher = new RegistrationBatcher(async (_, _) =>
        {
            await gate.Task;
            throw new InvalidOperationException("database down");
        }, maxBatch: 100);

        var registrations = new[] { batcher.RegisterAsync(Address("a")), batcher.RegisterAsync(Address("b")) };
        gate.SetResult();

        foreach (var registration in registrations)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => registration.WaitAsync(Probe.WaitLimit));
            Assert.Equal("database down", error.Message);
        }
    }

    private static GrainAddress Address(string key) => new(new GrainId("t", key), Silo, Guid.NewGuid());
}
