using MarketSpine.Actors.State;
using MarketSpine.Actors.Tests.Support;
using MarketSpine.Testing;

namespace MarketSpine.Actors.Tests.State;

public sealed class PostgresGrainStorageTests(MigratedPostgres postgres) : IClassFixture<MigratedPostgres>
{
    [PostgresFact]
    public Task Writes_reads_and_fences_by_etag() => GrainStorageContract.WritesReadsAndFencesByEtag(Storage());

    [PostgresFact]
    public Task Keeps_states_of_one_grain_apart() => GrainStorageContract.KeepsStatesOfOneGrainApart(Storage());

    [PostgresFact]
    public Task One_of_many_concurrent_writers_wins() => GrainStorageContract.OneOfManyConcurrentWritersWins(Storage());

    private PostgresGrainStorage Storage() => new(postgres.DataSource, TimeProvider.System);
}
