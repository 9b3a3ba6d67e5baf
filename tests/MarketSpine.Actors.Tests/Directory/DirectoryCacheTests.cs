using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Tests.Directory;

public sealed class DirectoryCacheTests
{
    private static readonly SiloAddress One = new("one", 1);
    private static readonly SiloAddress Two = new("two", 1);

    [Fact]
    public void Entries_are_replaced_by_newer_answers_and_leave_with_their_silo()
    {
        var cache = new DirectoryCache(capacity: 100);
        var a = Address("a", One);
        cache.Put(a);
        cache.Put(Address("b", One));
        cache.Put(Address("c", Two));
        var moved = Address("a", Two);
        cache.Put(moved);

        cache.RemoveSilos([One]);

        Assert.True(cache.TryGet(a.Grain, out var found));
        Assert.Equal(moved, found);
        Assert.False(cache.TryGet(new GrainId("t", "b"), out _));
        Assert.True(cache.TryGet(new GrainId("t", "c"), out _));
    }

    [Fact]
    public void Past_its_capacity_the_cache_starts_over()
    {
        var cache = new DirectoryCache(capacity: 3);
        foreach (var key in new[] { "a", "b", "c" })
        {
            cache.Put(Address(key, One));
        }

        cache.Put(Address("d", One));

        Assert.False(cache.TryGet(new GrainId("t", "a"), out _));
        Assert.True(cache.TryGet(new GrainId("t", "d"), out _));
    }

    private static GrainAddress Address(string key, SiloAddress silo) => new(new GrainId("t", key), silo, Guid.NewGuid());
}
