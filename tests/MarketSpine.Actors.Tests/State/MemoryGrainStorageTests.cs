using MarketSpine.Actors.State;

namespace MarketSpine.Actors.Tests.State;

public sealed class MemoryGrainStorageTests
{
    [Fact]
    public Task Writes_reads_and_fences_by_etag() => GrainStorageContract.WritesReadsAndFencesByEtag(new MemoryGrainStorage());

    [Fact]
    public Task Keeps_states_of_one_grain_apart() => GrainStorageContract.KeepsStatesOfOneGrainApart(new MemoryGrainStorage());

    [Fact]
    public Task One_of_many_concurrent_writers_wins() => GrainStorageContract.OneOfManyConcurrentWritersWins(new MemoryGrainStorage());
}
