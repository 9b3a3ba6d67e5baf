using System.Collections.Immutable;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Runtime;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Actors.Tests.TestGrains;

namespace MarketSpine.Actors.Tests.Engine;

public sealed class CopyTests
{
    [Fact]
    public async Task Mutable_arguments_and_results_are_copied_so_neither_side_sees_the_others_changes()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ICopyGrain>("c");
        var basket = new Basket { Items = ["mine"] };

        Assert.Equal(2, await grain.AddAndCount(basket));
        Assert.Equal(["mine"], basket.Items);

        var kept = await grain.Kept();
        kept.Items.Add("changed by caller");
        Assert.Equal(["kept"], (await grain.Kept()).Items);
    }

    [Fact]
    public async Task Immutable_arguments_pass_by_reference()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ICopyGrain>("q");
        var quote = new Quote("ACME", 1.5m);

        Assert.False(await grain.SameQuote(quote));
        Assert.True(await grain.SameQuote(quote));
        Assert.Same(quote, await grain.LastQuote());
    }

    [Theory]
    [InlineData(typeof(string), true)]
    [InlineData(typeof(int), true)]
    [InlineData(typeof(DateTimeOffset), true)]
    [InlineData(typeof(Quote), true)]
    [InlineData(typeof(ImmutableArray<string>), true)]
    [InlineData(typeof(ImmutableList<Quote>), true)]
    [InlineData(typeof(GrainId), true)]
    [InlineData(typeof(Basket), false)]
    [InlineData(typeof(List<string>), false)]
    [InlineData(typeof(string[]), false)]
    [InlineData(typeof(ImmutableList<Basket>), false)]
    [InlineData(typeof(Holder), false)]
    public void Immutability_is_decided_from_the_type(Type type, bool immutable) =>
        Assert.Equal(immutable, Immutability.IsImmutable(type));

    public sealed record Holder(List<string> Items);
}
