using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Tests.TestGrains;

public sealed class Basket
{
    public List<string> Items { get; set; } = [];
}

public sealed record Quote(string Symbol, decimal Price);

/// <summary>Mutates what it receives and keeps what it returns, to show where copies are made.</summary>
public interface ICopyGrain : IGrainWithStringKey
{
    Task<int> AddAndCount(Basket basket);

    Task<Basket> Kept();

    Task<bool> SameQuote(Quote quote);

    Task<Quote> LastQuote();
}

public sealed class CopyGrain : Grain, ICopyGrain
{
    private readonly Basket _kept = new() { Items = ["kept"] };
    private Quote? _quote;

    public Task<int> AddAndCount(Basket basket)
    {
        basket.Items.Add("added by grain");
        return Task.FromResult(basket.Items.Count);
    }

    public Task<Basket> Kept() => Task.FromResult(_kept);

    public Task<bool> SameQuote(Quote quote)
    {
        var same = ReferenceEquals(_quote, quote);
        _quote = quote;
        return Task.FromResult(same);
    }

    public Task<Quote> LastQuote() => Task.FromResult(_quote!);
}
