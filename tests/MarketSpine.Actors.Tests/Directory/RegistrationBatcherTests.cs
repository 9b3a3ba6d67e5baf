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
        var directory = new FirstBatchHeld();
        var batcher = directory.Batcher;

        var lone = Address("lone");
        var first = batcher.RegisterAsync(lone);
        await directory.FirstInFlight.WaitAsync(Probe.WaitLimit);
        var waiting = Enumerable.Range(0, 10).Select(i => Address($"k{i}")).ToList();
        var registered = waiting.Select(batcher.RegisterAsync).ToList();
        directory.ReleaseFirst();

        Assert.Equal(lone, await first.WaitAsync(Probe.WaitLimit));
        Assert.Equal(waiting, await Task.WhenAll(registered).WaitAsync(Probe.WaitLimit));
        Assert.Equal([1, 10], directory.Batches.Select(b => b.Count));
    }

    [Fact]
    public async Task Two_registrations_of_one_grain_never_share_a_batch()
    {
        var directory = new FirstBatchHeld();
        var batcher = directory.Batcher;

        var blocker = batcher.RegisterAsync(Address("blocker"));
        await directory.FirstInFlight.WaitAsync(Probe.WaitLimit);
        var (one, other) = (Address("same"), Address("same"));
        var registered = new[] { batcher.RegisterAsync(one), batcher.RegisterAsync(Address("else")), batcher.RegisterAsync(other) };
        directory.ReleaseFirst();

        await blocker.WaitAsync(Probe.WaitLimit);
        await Task.WhenAll(registered).WaitAsync(Probe.WaitLimit);
        Assert.Equal([["blocker"], ["same", "else"], ["same"]], directory.Batches.Select(b => b.Select(a => a.Grain.Key).ToArray()));
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

    /// <summary>A directory that registers whatever it is given, but holds its first batch until released, so the next registrations queue.</summary>
    private sealed class FirstBatchHeld
    {
        private readonly TaskCompletionSource _firstInFlight = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _releaseFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<IReadOnlyList<GrainAddress>> _batches = [];

        public FirstBatchHeld() => Batcher = new RegistrationBatcher(RegisterAsync, maxBatch: 100);

        public RegistrationBatcher Batcher { get; }

        public Task FirstInFlight => _firstInFlight.Task;

        public IReadOnlyList<IReadOnlyList<GrainAddress>> Batches
        {
            get
            {
                lock (_batches)
                {
                    return [.. _batches];
                }
            }
        }

        public void ReleaseFirst() => _releaseFirst.SetResult();

        private async Task<IReadOnlyDictionary<GrainId, GrainAddress>> RegisterAsync(IReadOnlyList<GrainAddress> batch, CancellationToken cancellationToken)
        {
            bool first;
            lock (_batches)
            {
                _batches.Add(batch);
                first = _batches.Count == 1;
            }

            if (first)
            {
                _firstInFlight.SetResult();
                await _releaseFirst.Task;
            }

            return batch.ToDictionary(a => a.Grain);
        }
    }
}
