namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// Waits, within a bound, for a condition the test cannot be told about directly (a row another
/// silo changes in the database): it is checked every <see cref="PollInterval"/>, and the wait fails,
/// saying what it waited for, once the bound passes.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        using var bound = new CancellationTokenSource(limit);
        while (!await condition())
        {
            try
            {
                await Task.Delay(PollInterval, bound.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not within {limit}: {what}.");
            }
        }
    }
}
