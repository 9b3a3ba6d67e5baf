using System.Data.Common;
using MarketSpine.Core.Data;
using MarketSpine.Core.Errors;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Tests.Support;

namespace MarketSpine.Storage.Tests.Migrations;

/// <summary>
/// The migration runner's behaviour, written once and run on each dialect by a thin subclass.
/// Every test gets a database of its own: migrations are about what a database has been through.
/// </summary>
public abstract class MigrationRunnerContract(StoreFactory stores)
{
    private IReadOnlyList<Migration> Catalog { get; } = MigrationCatalog.For(stores.Dialect);

    protected StoreFactory Stores => stores;

    protected async Task AppliesEveryMigrationInOrderWithChecksums()
    {
        await using var store = await stores.CreateAsync();
        var before = DateTimeOffset.UtcNow;

        var applied = await new MigrationRunner(store.Database).ApplyAsync(CancellationToken.None);

        Assert.Equal(Catalog.Select(m => m.FileName), applied.Select(m => m.FileName));
        Assert.Equal("001_executions.sql", applied[0].FileName);
        var rows = await ReadLedgerAsync(store);
        Assert.Equal(Catalog.Select(m => (m.Version, m.Name, m.Checksum)), rows.Select(r => (r.Version, r.Name, r.Checksum)));
        Assert.All(rows, r => Assert.Equal(MigrationCatalog.Checksum(Catalog.Single(m => m.Version == r.Version).Sql), r.Checksum));
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{64}$", r.Checksum));
        Assert.All(rows, r => Assert.InRange(r.AppliedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.Equal(0, await store.ScalarAsync("SELECT COUNT(*) FROM executions"));
    }

    protected async Task ASecondApplyAppliesNothing()
    {
        await using var store = await stores.CreateAsync();
        var runner = new MigrationRunner(store.Database);
        await runner.ApplyAsync(CancellationToken.None);
        var first = await ReadLedgerAsync(store);

        var again = await runner.ApplyAsync(CancellationToken.None);
        var fromAnotherRunner = await new MigrationRunner(store.Database).ApplyAsync(CancellationToken.None);

        Assert.Empty(again);
        Assert.Empty(fromAnotherRunner);
        Assert.Equal(first, await ReadLedgerAsync(store));
    }

    protected async Task StatusReportsAppliedAndPending()
    {
        await using var store = await stores.CreateAsync();
        var runner = new MigrationRunner(store.Database);

        var fresh = await runner.GetStatusAsync(CancellationToken.None);
        Assert.Empty(fresh.Applied);
        Assert.Equal(Catalog.Select(m => m.FileName), fresh.Pending.Select(m => m.FileName));
        Assert.False(fresh.IsCurrent);
        Assert.False(await store.RelationExistsAsync("executions"));

        await runner.ApplyAsync(CancellationToken.None);
        var current = await runner.GetStatusAsync(CancellationToken.None);
        Assert.Equal(Catalog.Select(m => (m.Version, m.Name, m.Checksum)), current.Applied.Select(a => (a.Version, a.Name, a.Checksum)));
        Assert.Empty(current.Pending);
        Assert.True(current.IsCurrent);

        // Forget the newest migration: status names exactly it as pending.
        var last = Catalog[^1];
        await store.ExecuteAsync("DELETE FROM _migrations WHERE version = @version", ("@version", last.Version));
        var behind = await runner.GetStatusAsync(CancellationToken.None);
        Assert.Equal(Catalog.SkipLast(1).Select(m => m.Version), behind.Applied.Select(a => a.Version));
        Assert.Equal([last.FileName], behind.Pending.Select(m => m.FileName));
        Assert.False(behind.IsCurrent);
    }

    protected async Task AnEditedAppliedMigrationIsRefused(string storedChecksum)
    {
        await using var store = await stores.CreateAsync();
        var runner = new MigrationRunner(store.Database);
        await runner.ApplyAsync(CancellationToken.None);
        await store.ExecuteAsync("UPDATE _migrations SET checksum = @checksum WHERE version = 1", ("@checksum", storedChecksum));

        foreach (var attempt in new Func<Task>[]
                 {
                     () => runner.ApplyAsync(CancellationToken.None),
                     () => runner.GetStatusAsync(CancellationToken.None),
                     () => runner.EnsureCurrentAsync(CancellationToken.None),
                 })
        {
            var error = await Assert.ThrowsAsync<InvalidStateError>(attempt);
            Assert.Equal(ErrorCodes.MigrationChecksumMismatch, error.Code);
            Assert.Contains("001_executions.sql", error.Message, StringComparison.Ordinal);
            Assert.Equal("001_executions.sql", error.Details["migration"]);
        }
    }

    protected async Task ADatabaseAheadOfTheBuildIsRefused()
    {
        await using var store = await stores.CreateAsync();
        var runner = new MigrationRunner(store.Database);
        await runner.ApplyAsync(CancellationToken.None);
        var unknown = Catalog[^1].Version + 1;
        await store.ExecuteAsync(
            "INSERT INTO _migrations (version, name, checksum, applied_at) VALUES (@version, 'from_the_future', @checksum, @applied_at)",
            ("@version", unknown), ("@checksum", new string('a', 64)), ("@applied_at", DateTimeOffset.UtcNow));

        var apply = await Assert.ThrowsAsync<InvalidStateError>(() => runner.ApplyAsync(CancellationToken.None));
        var ensure = await Assert.ThrowsAsync<InvalidStateError>(() => runner.EnsureCurrentAsync(CancellationToken.None));

        Assert.Equal(ErrorCodes.SchemaAhead, apply.Code);
        Assert.Equal(ErrorCodes.SchemaAhead, ensure.Code);
        Assert.Contains($"{unknown:000}_from_the_future", apply.Message, StringComparison.Ordinal);
        Assert.Equal(Catalog.Count + 1, await store.ScalarAsync("SELECT COUNT(*) FROM _migrations"));
    }

    protected async Task EnsureCurrentRefusesAFreshDatabaseAndPassesAfterApply()
    {
        await using var store = await stores.CreateAsync();
        var runner = new MigrationRunner(store.Database);

        var error = await Assert.ThrowsAsync<InvalidStateError>(() => runner.EnsureCurrentAsync(CancellationToken.None));
        Assert.Equal(ErrorCodes.InvalidState, error.Code);
        Assert.Contains($"lacks {Catalog.Count} migration(s), first 001_executions.sql", error.Message, StringComparison.Ordinal);
        Assert.False(await store.RelationExistsAsync("executions"));

        await runner.ApplyAsync(CancellationToken.None);
        await runner.EnsureCurrentAsync(CancellationToken.None);
    }

    /// <summary>
    /// No broken script can be put in the embedded catalog, so 001 is made to fail midway: a table
    /// already holds the name of its second index. Its table and first index must not survive.
    /// </summary>
    protected async Task AFailingMigrationLeavesTheDatabaseAtThePreviousVersion()
    {
        await using var store = await stores.CreateAsync();
        await store.ExecuteAsync("CREATE TABLE ix_executions_status_created (x integer)");
        var runner = new MigrationRunner(store.Database);

        var error = await Assert.ThrowsAsync<LoadError>(() => runner.ApplyAsync(CancellationToken.None));

        Assert.Equal(ErrorCodes.LoadFailed, error.Code);
        Assert.Equal("001_executions.sql", error.Details["migration"]);
        Assert.StartsWith($"Migration 001_executions.sql failed on {store.Database.Location}: ", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<DbException>(error.InnerException);
        Assert.Equal(0, await store.ScalarAsync("SELECT COUNT(*) FROM _migrations"));
        Assert.False(await store.RelationExistsAsync("executions"));
        Assert.False(await store.RelationExistsAsync("ix_executions_created"));
        Assert.False(await store.RelationExistsAsync("otc_captures"));

        // Once the obstacle is gone the same runner applies everything.
        await store.ExecuteAsync("DROP TABLE ix_executions_status_created");
        Assert.Equal(Catalog.Count, (await runner.ApplyAsync(CancellationToken.None)).Count);
        Assert.True(await store.RelationExistsAsync("ix_executions_status_created"));
    }

    protected static async Task<List<AppliedMigration>> ReadLedgerAsync(TestStore store)
    {
        await using var connection = await store.Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.Command("SELECT version, name, checksum, applied_at FROM _migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        var rows = new List<AppliedMigration>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }
}
