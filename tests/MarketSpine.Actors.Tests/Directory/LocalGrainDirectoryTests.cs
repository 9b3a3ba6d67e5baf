using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Tests.Directory;

public sealed class LocalGrainDirectoryTests
{
    private static readonly GrainId Grain = new("g", "k");
    private static readonly SiloAddress SiloA = new("a", 1);
    private static readonly SiloAddress SiloB = new("b", 1);

    [Fact]
    public async Task The_first_registration_wins_and_only_its_owner_can_remove_it()
    {
        var directory = new LocalGrainDirectory();
        var first = new GrainAddress(Grain, SiloA, Guid.NewGuid());
        var second = new GrainAddress(Grain, SiloB, Guid.NewGuid());

        Assert.Equal(first, await directory.RegisterAsync(first, CancellationToken.None));
        Assert.Equal(first, await directory.RegisterAsync(second, CancellationToken.None));

        await directory.UnregisterAsync(second, CancellationToken.None);
        Assert.Equal(first, await directory.LookupAsync(Grain, CancellationToken.None));

        await directory.UnregisterAsync(first, CancellationToken.None);
        Assert.Null(await directory.LookupAsync(Grain, CancellationToken.None));
        Assert.Equal(second, await directory.RegisterAsync(second, CancellationToken.None));
    }
}
