using System.Data.Common;
using MarketSpine.Core.Data;
using MarketSpine.Storage.Tests.Support;

namespace MarketSpine.Storage.Tests.Data;

/// <summary>
/// <see cref="ISpineDatabase.BeginBulkInsertAsync"/> on each dialect (prepared INSERT on SQLite,
/// binary COPY on PostgreSQL). Every test writes to a scratch table of its own.
/// </summary>
public abstract class BulkInsertContract(TestStore store)
{
    private static readonly BulkColumn[] AllTypes =
    [
        new("id", BulkColumnType.Integer),
        new("t", BulkColumnType.Text),
        new("b", BulkColumnType.BigInt),
        new("i", BulkColumnType.Integer),
        new("n", BulkColumnType.Numeric),
        new("d", BulkColumnType.Date),
        new("ts", BulkColumnType.TimestampUtc),
    ];

    private static readonly int[] DuplicatedIds = [1, 2, 1];

    private static readonly BulkColumn[] Pair = [new("id", BulkColumnType.Integer), new("t", BulkColumnType.Text)];

    protected TestStore Store => store;

    protected async Task EveryColumnTypeRoundTrips()
    {
        var table = await CreateTableAsync(AllTypes, primaryKey: "id");
        var rows = new[]
        {
            new Row(1, "Zürich — 株式 🚀 ünïcödé", long.MaxValue, int.MaxValue, 12345678901234567890.12345678m,
                new DateOnly(2024, 2, 29), new DateTimeOffset(2024, 3, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(7_891_230)),
            new Row(2, "", long.MaxValue - 1, int.MinValue, -0.0000000000000000000000000001m,
                new DateOnly(1900, 1, 1), new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_990)),
            // A local offset is stored as the same instant in UTC.
            new Row(3, "plain", long.MinValue + 1, 0, 79228162514264337593543950335m,
                new DateOnly(2099, 12, 31), new DateTimeOffset(2024, 6, 30, 18, 0, 0, TimeSpan.FromHours(5.5)).AddTicks(10)),
            new Row(4, null, null, null, null, null, null),
        };

        await using (var connection = await store.Database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
        {
            // Npgsql holds the connection in COPY state until the importer is disposed, so the
            // writer is disposed before the commit, as the domain's write sessions do.
            await using (var bulk = await store.Database.BeginBulkInsertAsync(connection, transaction, table, AllTypes, CancellationToken.None))
            {
                foreach (var row in rows)
                {
                    await bulk.StartRowAsync(CancellationToken.None);
                    bulk.Write(row.Id);
                    bulk.Write(row.Text);
                    WriteOrNull(bulk, row.Big, bulk.Write);
                    WriteOrNull(bulk, row.Int, bulk.Write);
                    bulk.Write(row.Numeric);
                    WriteOrNull(bulk, row.Date, bulk.Write);
                    WriteOrNull(bulk, row.Time, bulk.Write);
                }

                Assert.Equal(4, await bulk.CompleteAsync(CancellationToken.None));
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        var read = await ReadAsync($"SELECT id, t, b, i, n, d, ts FROM {table} ORDER BY id", r => new Row(
            r.GetInt32(0),
            r.IsDBNull(1) ? null : r.GetString(1),
            r.IsDBNull(2) ? null : r.GetInt64(2),
            r.IsDBNull(3) ? null : r.GetInt32(3),
            r.IsDBNull(4) ? null : r.GetDecimal(4),
            r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5),
            r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6)));

        // Timestamps (given to the microsecond, PostgreSQL's precision) keep their instant and come back in UTC.
        Assert.Equal(rows, read);
        Assert.All(read, r => Assert.Equal(TimeSpan.Zero, r.Time?.Offset ?? TimeSpan.Zero));
        Assert.Equal(1, await store.ScalarAsync($"SELECT COUNT(*) FROM {table} WHERE t = ''"));
        Assert.Equal(1, await store.ScalarAsync($"SELECT COUNT(*) FROM {table} WHERE t IS NULL"));
    }

    protected async Task OneHundredThousandRowsInOneTransaction()
    {
        const int count = 100_000;
        BulkColumn[] columns =
        [
            new("id", BulkColumnType.BigInt),
            new("symbol", BulkColumnType.Text),
            new("qty", BulkColumnType.Integer),
            new("px", BulkColumnType.Numeric),
            new("d", BulkColumnType.Date),
            new("ts", BulkColumnType.TimestampUtc),
        ];
        var table = await CreateTableAsync(columns, primaryKey: "id");
        var day = new DateOnly(2024, 1, 1);
        var epoch = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

        long written;
        await using (var connection = await store.Database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
        {
            await using (var bulk = await store.Database.BeginBulkInsertAsync(connection, transaction, table, columns, CancellationToken.None))
            {
                for (var i = 1; i <= count; i++)
                {
                    await bulk.StartRowAsync(CancellationToken.None);
                    bulk.Write((long)i);
                    bulk.Write($"SYM{i % 997}");
                    bulk.Write(i % 1000);
                    bulk.Write(i / 100m);
                    bulk.Write(day.AddDays(i % 7));
                    bulk.Write(epoch.AddSeconds(i));
                }

                written = await bulk.CompleteAsync(CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(count, written);
        Assert.Equal(count, await store.ScalarAsync($"SELECT COUNT(*) FROM {table}"));
        Assert.Equal((long)count * (count + 1) / 2, await store.ScalarAsync($"SELECT SUM(id) FROM {table}"));
        Assert.Equal(997, await store.ScalarAsync($"SELECT COUNT(DISTINCT symbol) FROM {table}"));
        var last = await ReadAsync($"SELECT symbol, qty, px, d, ts FROM {table} WHERE id = 99999", r =>
            (r.GetString(0), r.GetInt32(1), r.GetDecimal(2), r.GetFieldValue<DateOnly>(3), r.GetFieldValue<DateTimeOffset>(4)));
        Assert.Equal([("SYM299", 999, 999.99m, new DateOnly(2024, 1, 5), epoch.AddSeconds(99_999))], last);
    }

    protected async Task ARolledBackTransactionLeavesNoRows(bool completeFirst)
    {
        var table = await CreateTableAsync(Pair, primaryKey: "id");

        await using (var connection = await store.Database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
        {
            await using (var bulk = await store.Database.BeginBulkInsertAsync(connection, transaction, table, Pair, CancellationToken.None))
            {
                for (var i = 1; i <= 1000; i++)
                {
                    await bulk.StartRowAsync(CancellationToken.None);
                    bulk.Write(i);
                    bulk.Write("row");
                }

                if (completeFirst)
                {
                    Assert.Equal(1000, await bulk.CompleteAsync(CancellationToken.None));
                }
            }

            await transaction.RollbackAsync(CancellationToken.None);
        }

        Assert.Equal(0, await store.ScalarAsync($"SELECT COUNT(*) FROM {table}"));
    }

    protected async Task TooFewValuesInARowIsRefused(bool atCompletion)
    {
        var table = await CreateTableAsync(Pair, primaryKey: "id");
        await using var connection = await store.Database.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        InvalidOperationException error;
        await using (var bulk = await store.Database.BeginBulkInsertAsync(connection, transaction, table, Pair, CancellationToken.None))
        {
            await bulk.StartRowAsync(CancellationToken.None);
            bulk.Write(1);
            bulk.Write("complete");
            await bulk.StartRowAsync(CancellationToken.None);
            bulk.Write(2);
            error = atCompletion
                ? await Assert.ThrowsAsync<InvalidOperationException>(() => bulk.CompleteAsync(CancellationToken.None).AsTask())
                : await Assert.ThrowsAsync<InvalidOperationException>(() => bulk.StartRowAsync(CancellationToken.None).AsTask());
        }

        Assert.Equal("Bulk insert: row 2 has 1 values, expected 2.", error.Message);
        await transaction.RollbackAsync(CancellationToken.None);
        Assert.Equal(0, await store.ScalarAsync($"SELECT COUNT(*) FROM {table}"));
    }

    protected async Task TooManyValuesOrAValueBeforeARowIsRefused()
    {
        var table = await CreateTableAsync(Pair, primaryKey: "id");
        await using var connection = await store.Database.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        await using (var bulk = await store.Database.BeginBulkInsertAsync(connection, transaction, table, Pair, CancellationToken.None))
        {
            var beforeRow = Assert.Throws<InvalidOperationException>(() => bulk.Write(1));
            Assert.Equal("Bulk insert: StartRowAsync first, then exactly 2 values per row.", beforeRow.Message);

            await bulk.StartRowAsync(CancellationToken.None);
            bulk.Write(1);
            bulk.Write("one");
            var extra = Assert.Throws<InvalidOperationException>(() => bulk.Write("two"));
            Assert.Equal("Bulk insert: StartRowAsync first, then exactly 2 values per row.", extra.Message);
        }

        await transaction.RollbackAsync(CancellationToken.None);
        Assert.Equal(0, await store.ScalarAsync($"SELECT COUNT(*) FROM {table}"));
    }

    protected async Task ADuplicateKeySurfacesAsTheProvidersErrorAndRollsBack()
    {
        var table = await CreateTableAsync(Pair, primaryKey: "id");
        await using var connection = await store.Database.OpenConnectionAsync(CancellationToken.None);
        await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
        {
            DbException error;
            await using (var bulk = await store.Database.BeginBulkInsertAsync(connection, transaction, table, Pair, CancellationToken.None))
            {
                error = await Assert.ThrowsAnyAsync<DbException>(async () =>
                {
                    foreach (var id in DuplicatedIds)
                    {
                        await bulk.StartRowAsync(CancellationToken.None);
                        bulk.Write(id);
                        bulk.Write($"row {id}");
                    }

                    await bulk.CompleteAsync(CancellationToken.None);
                });
            }

            AssertDuplicateKey(error);
            await transaction.RollbackAsync(CancellationToken.None);
        }

        // The connection is still usable, and nothing of the failed load remains.
        await using var count = connection.Command($"SELECT COUNT(*) FROM {table}");
        Assert.Equal(0L, Convert.ToInt64(await count.ExecuteScalarAsync(CancellationToken.None), System.Globalization.CultureInfo.InvariantCulture));
    }

    protected abstract void AssertDuplicateKey(DbException exception);

    protected abstract string SqlType(BulkColumnType type);

    protected async Task<string> CreateTableAsync(IEnumerable<BulkColumn> columns, string primaryKey)
    {
        var table = $"bulk_{Guid.NewGuid():N}";
        await store.ExecuteAsync($"CREATE TABLE {table} ({string.Join(", ", columns.Select(c => $"{c.Name} {SqlType(c.Type)}"))}, PRIMARY KEY ({primaryKey}))");
        return table;
    }

    protected async Task<List<T>> ReadAsync<T>(string sql, Func<DbDataReader, T> map)
    {
        await using var connection = await store.Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        var rows = new List<T>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private static void WriteOrNull<T>(IBulkInsert bulk, T? value, Action<T> write)
        where T : struct
    {
        if (value is { } v)
        {
            write(v);
        }
        else
        {
            bulk.WriteNull();
        }
    }

    protected sealed record Row(int Id, string? Text, long? Big, int? Int, decimal? Numeric, DateOnly? Date, DateTimeOffset? Time);
}
