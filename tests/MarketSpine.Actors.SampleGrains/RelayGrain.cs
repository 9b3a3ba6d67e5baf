using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.SampleGrains;

[GrainType("sample.relay")]
public sealed class RelayGrain : Grain, IRelayGrain
{
    public async Task<long> RelayAsync(string targetKey, TimeSpan duration, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var target = GrainFactory.GetGrain<IEchoGrain>(targetKey);
        var end = TimeProvider.GetTimestamp() + (long)(duration.TotalSeconds * TimeProvider.TimestampFrequency);

        async Task<long> LoopAsync(int loop)
        {
            long calls = 0;
            do
            {
                if (await target.EchoAsync(loop) != loop)
                {
                    throw new InvalidOperationException($"{targetKey} echoed another value than {loop}.");
                }

                calls++;
            }
            while (TimeProvider.GetTimestamp() < end);
            return calls;
        }

        var counts = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(LoopAsync));
        return counts.Sum();
    }

    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity);
}
