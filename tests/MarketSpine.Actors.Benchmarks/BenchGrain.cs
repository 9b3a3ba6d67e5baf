using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Benchmarks;

public interface IBenchGrain : IGrainWithStringKey
{
    ValueTask<int> Ping(int value);

    Task<int> Add(int value);

    /// <summary>Takes a mutable argument, which the runtime copies.</summary>
    Task<int> CountLines(Order order);

    /// <summary>Takes an immutable argument, which the runtime passes by reference.</summary>
    Task<int> CountLegs(Trade trade);
}

public sealed class Order
{
    public string Symbol { get; set; } = "";

    public List<string> Lines { get; set; } = [];
}

public sealed record Trade(string Symbol, decimal Price, int Quantity, DateTimeOffset At);

/// <summary>The cheapest useful grain: the figure measures the runtime, not the grain.</summary>
public sealed class BenchGrain : Grain, IBenchGrain
{
    private int _total;

    public ValueTask<int> Ping(int value) => ValueTask.FromResult(value);

    public Task<int> Add(int value) => Task.FromResult(_total += value);

    public Task<int> CountLines(Order order) => Task.FromResult(order.Lines.Count);

    public Task<int> CountLegs(Trade trade) => Task.FromResult(trade.Quantity);
}
