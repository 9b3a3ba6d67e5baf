namespace MarketSpine.Grains.Tests.Support;

/// <summary>Waits, within a bound, for a condition the test cannot be told about (a row the runtime writes in its own time).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var bound = new CancellationTokenSource(limit);
        while (!await condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), bound.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not within {limit}: {what}.");
            }
        }
    }
}
