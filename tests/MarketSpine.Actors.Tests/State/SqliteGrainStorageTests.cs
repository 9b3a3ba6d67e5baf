using MarketSpine.Actors.State;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.State;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private readonly string _connectionString = Databases.NewSqlite();

    [Fact]
    public Task Writes_reads_and_fences_by_etag() => GrainStorageContract.WritesReadsAndFencesByEtag(Storage());

    [Fact]
    public Task Keeps_states_of_one_grain_apart() => GrainStorageContract.KeepsStatesOfOneGrainApart(Storage());

    [Fact]
    public Task One_of_many_concurrent_writers_wins() => GrainStorageContract.OneOfManyConcurrentWritersWins(Storage());

    public void Dispose() => Databases.DeleteSqlite(_connectionString);

    private SqliteGrainStorage Storage() => new(_connectionString, TimeProvider.System);
}
