using MarketSpine.Actors.Runtime;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.Engine;

/// <summary>Calls to other processes share deadline tokens per slot, cancelled by one sweep: never early, never more than two intervals late.</summary>
public sealed class CallDeadlinesTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(999)]
    [InlineData(1_000)]
    [InlineData(2_500)]
    public void A_token_is_cancelled_after_its_deadline_and_within_two_intervals_of_it(int timeoutMs)
    {
        // The clock starts between sweeps, so the slots do not line up with the timeout.
        var time = new FakeTimeProvider(TestSilo.Start.AddMilliseconds(370));
        var deadlines = new CallDeadlines(time, Interval);
        var timeout = TimeSpan.FromMilliseconds(timeoutMs);
        var token = deadlines.TokenAfter(timeout);

        // The owner sweeps every interval; the clock moves on in steps of 10 ms.
        var elapsed = TimeSpan.Zero;
        var sinceSweep = TimeSpan.Zero;
        while (!token.IsCancellationRequested)
        {
            Assert.True(elapsed <= timeout + (Interval * 2), $"Not cancelled {elapsed} after a timeout of {timeout}.");
            time.Advance(TimeSpan.FromMilliseconds(10));
            (elapsed, sinceSweep) = (elapsed + TimeSpan.FromMilliseconds(10), sinceSweep + TimeSpan.FromMilliseconds(10));
            if (sinceSweep >= Interval)
            {
                deadlines.Sweep();
                sinceSweep = TimeSpan.Zero;
            }
        }

        Assert.True(elapsed >= timeout, $"Cancelled {elapsed} after a timeout of {timeout}.");
    }

    [Fact]
    public void Calls_whose_deadlines_fall_in_one_slot_share_a_token_and_an_overdue_or_endless_one_needs_none()
    {
        var time = new FakeTimeProvider(TestSilo.Start);
        var deadlines = new CallDeadlines(time, Interval);
        var now = time.GetTimestamp();

        Assert.Equal(deadlines.TokenFor(now + TimeSpan.FromMilliseconds(100).Ticks), deadlines.TokenFor(now + TimeSpan.FromMilliseconds(900).Ticks));
        Assert.NotEqual(deadlines.TokenFor(now + TimeSpan.FromMilliseconds(100).Ticks), deadlines.TokenFor(now + TimeSpan.FromMilliseconds(1_100).Ticks));
        Assert.True(deadlines.TokenFor(now - 1).IsCancellationRequested);
        Assert.False(deadlines.TokenAfter(Timeout.InfiniteTimeSpan).CanBeCanceled);
        Assert.False(deadlines.TokenAfter(TimeSpan.MaxValue).CanBeCanceled);
    }
}
