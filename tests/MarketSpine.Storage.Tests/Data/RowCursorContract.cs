using MarketSpine.Core.Data;
using MarketSpine.Storage.Tests.Support;

namespace MarketSpine.Storage.Tests.Data;

/// <summary>
/// <see cref="ISpineDatabase.OpenCursorAsync"/> on each dialect: SQLite's own cursor (which
/// caches decoded strings per column) and PostgreSQL's ADO.NET reader. Tables are per test.
/// </summary>
public abstract class RowCursorContract(TestStore store)
{
    private static readonly Dictionary<string, object?> NoParameters = [];

    protected TestStore Store => store;

    protected async Task ReadsIntegersStringsDatesAndNulls()
    {
        var table = await CreateTableAsync("id integer PRIMARY KEY, big bigint, name text, d date");
        await InsertAsync(table, (1, long.MaxValue, "Zürich ✓ 株式", new DateOnly(2024, 2, 29)));
        await InsertAsync(table, (2, long.MinValue, "", new DateOnly(1970, 1, 1)));
        await InsertAsync(table, (3, null, null, null));
        await InsertAsync(table, (int.MaxValue, 0L, "plain", new DateOnly(2099, 12, 31)));

        var rows = await ReadAllAsync($"SELECT id, big, name, d FROM {table} ORDER BY id", NoParameters, c => (
            c.GetInt32(0),
            c.IsNull(1) ? (long?)null : c.GetInt64(1),
            c.IsNull(2) ? null : c.GetString(2),
            c.IsNull(3) ? (DateOnly?)null : c.GetDate(3)));

        Assert.Equal(
            [
                (1, long.MaxValue, "Zürich ✓ 株式", new DateOnly(2024, 2, 29)),
                (2, long.MinValue, "", new DateOnly(1970, 1, 1)),
                (3, null, null, null),
                (int.MaxValue, 0L, "plain", new DateOnly(2099, 12, 31)),
            ],
            rows);
    }

    protected async Task RepeatedAndManyDistinctStringsReadCorrectly()
    {
        // Two text columns: "venue" repeats a few values in runs and out of order, "symbol" cycles
        // through 6,000 distinct values (more than the per-column cache of 4,096) twice.
        const int count = 12_000;
        string[] venues = ["NITE", "Virtu Americas, LLC", "CDEL", "Jane Street — ü"];
        var table = await CreateTableAsync("id integer PRIMARY KEY, venue text, symbol text");
        var expected = Enumerable.Range(0, count)
            .Select(i => (Id: i, Venue: venues[(i / 3 + i % 2) % venues.Length], Symbol: $"SYM{i % 6000:D5}-{(i % 6000 % 7 == 0 ? "Ω" : "")}"))
            .ToList();
        await BulkAsync(table, [new("id", BulkColumnType.Integer), new("venue", BulkColumnType.Text), new("symbol", BulkColumnType.Text)],
            expected, (bulk, row) =>
            {
                bulk.Write(row.Id);
                bulk.Write(row.Venue);
                bulk.Write(row.Symbol);
            });

        var rows = await ReadAllAsync($"SELECT id, venue, symbol FROM {table} ORDER BY id", NoParameters, c => (c.GetInt32(0), c.GetString(1), c.GetString(2)));

        Assert.Equal(expected, rows);
    }

    protected async Task LongAndNonAsciiStringsReadCorrectly()
    {
        string[] values =
        [
            new string('a', 256),
            new string('b', 257),
            new string('c', 5000),
            string.Concat(Enumerable.Repeat("€", 100)), // 100 chars, 300 UTF-8 bytes
            string.Concat(Enumerable.Repeat("🚀", 64)), // 128 chars, exactly 256 UTF-8 bytes
            string.Concat(Enumerable.Repeat("🚀", 65)), // 260 UTF-8 bytes
            new string('c', 5000),
            new string('c', 4999),
            "short",
            new string('a', 256),
            "",
            "Ärger über Öl — ½ ∑ 株式会社",
        ];
        var table = await CreateTableAsync("id integer PRIMARY KEY, value text");
        for (var i = 0; i < values.Length; i++)
        {
            await store.ExecuteAsync($"INSERT INTO {table} (id, value) VALUES (@id, @value)", ("@id", i), ("@value", values[i]));
        }

        var rows = await ReadAllAsync($"SELECT value FROM {table} ORDER BY id", NoParameters, c => c.GetString(0));

        Assert.Equal(values, rows);
    }

    protected async Task BindsParametersByName()
    {
        var table = await CreateTableAsync("id integer PRIMARY KEY, big bigint, name text, d date");
        for (var i = 1; i <= 20; i++)
        {
            await InsertAsync(table, (i, i * 1_000_000_000_000L, i % 2 == 0 ? "even" : "odd", new DateOnly(2024, 1, i)));
        }

        var parameters = new Dictionary<string, object?>
        {
            ["@name"] = "even",
            ["@from"] = 5,
            ["@big"] = 16_000_000_000_000L,
            ["@day"] = new DateOnly(2024, 1, 18),
        };
        // Each name is used once, in an order unlike the dictionary's.
        var ids = await ReadAllAsync(
            $"SELECT id FROM {table} WHERE d <> @day AND big <= @big AND name = @name AND id >= @from ORDER BY id", parameters, c => c.GetInt32(0));

        Assert.Equal([6, 8, 10, 12, 14, 16], ids);
    }

    /// <summary>
    /// On PostgreSQL the unbound <c>@id</c> would otherwise parse as <c>@ id</c> (absolute value)
    /// and the query would quietly return every non-negative id.
    /// </summary>
    protected async Task AnUnknownParameterNameIsAnError()
    {
        var table = await CreateTableAsync("id integer PRIMARY KEY");
        await using var connection = await store.Database.OpenConnectionAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await using var cursor = await store.Database.OpenCursorAsync(
                connection, $"SELECT id FROM {table} WHERE id = @id", new Dictionary<string, object?> { ["@ids"] = 1 }, CancellationToken.None);
        });

        Assert.Equal("parameters", error.ParamName);
        Assert.Equal($"Query has no parameter @ids: SELECT id FROM {table} WHERE id = @id (Parameter 'parameters')", error.Message);
    }

    protected async Task CancellationIsHonouredOnALongRead()
    {
        // Far more rows than either provider produces before the cancel lands; the query streams.
        const int total = 100_000_000;
        const int cancelAfter = 1_000;
        await using var connection = await store.Database.OpenConnectionAsync(CancellationToken.None);
        var read = 0;
        await using (var cursor = await store.Database.OpenCursorAsync(
                         connection,
                         "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < @total) SELECT n FROM s",
                         new Dictionary<string, object?> { ["@total"] = total },
                         CancellationToken.None))
        {
            using var cancellation = new CancellationTokenSource();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                while (await cursor.ReadAsync(cancellation.Token))
                {
                    Assert.Equal(++read, cursor.GetInt32(0));
                    if (read == cancelAfter)
                    {
                        await cancellation.CancelAsync();
                    }
                }
            });
        }

        Assert.InRange(read, cancelAfter, total - 1);
        if (RowsReadAfterCancel is { } exact)
        {
            Assert.Equal(exact, read - cancelAfter);
        }

        // The connection survives the cancelled query.
        await using var probe = connection.Command("SELECT 42");
        Assert.Equal(42, Convert.ToInt32(await probe.ExecuteScalarAsync(CancellationToken.None), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>How many rows a cancelled read still returns, where the provider makes that exact.</summary>
    protected abstract int? RowsReadAfterCancel { get; }

    protected async Task<string> CreateTableAsync(string columns)
    {
        var table = $"cursor_{Guid.NewGuid():N}";
        await store.ExecuteAsync($"CREATE TABLE {table} ({columns})");
        return table;
    }

    protected async Task<List<T>> ReadAllAsync<T>(string sql, IReadOnlyDictionary<string, object?> parameters, Func<IRowCursor, T> map)
    {
        await using var connection = await store.Database.OpenConnectionAsync(CancellationToken.None);
        await using var cursor = await store.Database.OpenCursorAsync(connection, sql, parameters, CancellationToken.None);
        var rows = new List<T>();
        while (await cursor.ReadAsync(CancellationToken.None))
        {
            rows.Add(map(cursor));
        }

        return rows;
    }

    private Task InsertAsync(string table, (int Id, long? Big, string? Name, DateOnly? Day) row) =>
        store.ExecuteAsync($"INSERT INTO {table} (id, big, name, d) VALUES (@id, @big, @name, @d)",
            ("@id", row.Id), ("@big", row.Big), ("@name", row.Name), ("@d", row.Day));

    private async Task BulkAsync<T>(string table, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, Action<IBulkInsert, T> write)
    {
        await using var connection = await store.Database.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        await using (var bulk = await store.Database.BeginBulkInsertAsync(connection, transaction, table, columns, CancellationToken.None))
        {
            foreach (var row in rows)
            {
                await bulk.StartRowAsync(CancellationToken.None);
                write(bulk, row);
            }

            await bulk.CompleteAsync(CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
    }
}
