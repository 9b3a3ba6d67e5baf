using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Postgres;
using MarketSpine.Storage.Tests.Support;
using MarketSpine.Testing;

namespace MarketSpine.Storage.Tests.Migrations;

public sealed class SqliteMigrationRunnerTests() : MigrationRunnerContract(new SqliteStores())
{
    [Fact]
    public Task A_fresh_database_gets_every_migration_in_order_with_checksums() => AppliesEveryMigrationInOrderWithChecksums();

    [Fact]
    public Task A_second_apply_applies_nothing() => ASecondApplyAppliesNothing();

    [Fact]
    public Task Status_reports_applied_and_pending() => StatusReportsAppliedAndPending();

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("edited")]
    public Task An_applied_migration_whose_checksum_changed_is_refused(string storedChecksum) => AnEditedAppliedMigrationIsRefused(storedChecksum);

    [Fact]
    public Task A_database_migrated_by_a_newer_build_is_refused() => ADatabaseAheadOfTheBuildIsRefused();

    [Fact]
    public Task EnsureCurrent_refuses_a_fresh_database_and_passes_after_apply() => EnsureCurrentRefusesAFreshDatabaseAndPassesAfterApply();

    [Fact]
    public Task A_migration_failing_midway_leaves_the_database_at_the_previous_version() => AFailingMigrationLeavesTheDatabaseAtThePreviousVersion();
}

public sealed class PostgresMigrationRunnerTests() : MigrationRunnerContract(new PostgresStores())
{
    [PostgresFact]
    public Task A_fresh_database_gets_every_migration_in_order_with_checksums() => AppliesEveryMigrationInOrderWithChecksums();

    [PostgresFact]
    public Task A_second_apply_applies_nothing() => ASecondApplyAppliesNothing();

    [PostgresFact]
    public Task Status_reports_applied_and_pending() => StatusReportsAppliedAndPending();

    [PostgresTheory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("edited")]
    public Task An_applied_migration_whose_checksum_changed_is_refused(string storedChecksum) => AnEditedAppliedMigrationIsRefused(storedChecksum);

    [PostgresFact]
    public Task A_database_migrated_by_a_newer_build_is_refused() => ADatabaseAheadOfTheBuildIsRefused();

    [PostgresFact]
    public Task EnsureCurrent_refuses_a_fresh_database_and_passes_after_apply() => EnsureCurrentRefusesAFreshDatabaseAndPassesAfterApply();

    [PostgresFact]
    public Task A_migration_failing_midway_leaves_the_database_at_the_previous_version() => AFailingMigrationLeavesTheDatabaseAtThePreviousVersion();

    /// <summary>
    /// Silos starting at once against a fresh database: pg_advisory_lock must make each script
    /// run exactly once, and none of them may fail (not even creating the _migrations table).
    /// </summary>
    [PostgresFact]
    public async Task Runners_applying_concurrently_apply_each_migration_exactly_once()
    {
        var catalog = MigrationCatalog.For(Stores.Dialect);
        await using var store = await Stores.CreateAsync();
        var connectionString = ((PostgresSpineDatabase)store.Database).DataSource.ConnectionString;
        var silos = Enumerable.Range(0, 4).Select(_ => new PostgresSpineDatabase(connectionString)).ToList();
        try
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var runs = silos.Select(silo => Task.Run(async () =>
            {
                await start.Task;
                return await new MigrationRunner(silo).ApplyAsync(CancellationToken.None);
            })).ToList();
            start.SetResult();
            var results = await Task.WhenAll(runs);

            Assert.Equal(
                catalog.Select(m => m.FileName),
                results.SelectMany(applied => applied).Select(m => m.FileName).Order(StringComparer.Ordinal));
            Assert.Single(results, applied => applied.Count > 0);
            Assert.Equal(catalog.Select(m => m.Version), (await ReadLedgerAsync(store)).Select(r => r.Version));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }
}
