using System.Data;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Sources;

namespace MarketSpine.Core.Tests.Sources;

public sealed class SqlSourceTests : IDisposable
{
    private const string Setup = """
        CREATE TABLE weekly (
            issue_symbol TEXT NOT NULL,
            shares INTEGER NOT NULL,
            price REAL,
            exact_price TEXT,
            week_start TEXT NOT NULL,
            tier TEXT,
            payload BLOB);
        INSERT INTO weekly VALUES ('AAPL', 9760000000, 189.5, '189.50', '2024-01-08', 'NMS_TIER_1', x'0aff');
        INSERT INTO weekly VALUES ('MSFT', 1200, 9.76e9, NULL, '2024-01-08', NULL, NULL);
        INSERT INTO weekly VALUES ('ACME', 5, 0.1, '0.10', '2024-01-15', 'OTC', NULL);
        """;

    private readonly SqliteMemoryDatabase _db = new(Setup);

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Rows_stream_with_their_position_as_line_and_values_as_invariant_text()
    {
        var source = new SqlSource(_db, "SELECT issue_symbol, shares, price, exact_price, week_start, tier, payload\nFROM weekly\nORDER BY rowid");

        var records = await Read.AllAsync(source);

        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Line));
        Assert.Equal(["AAPL", "MSFT", "ACME"], records.Select(r => r["issue_symbol"]));
        Assert.Equal(9_760_000_000, records[0].GetInt64("shares"));
        Assert.Equal("189.5", records[0]["price"]);
        Assert.Equal(189.50m, records[0].GetDecimal("exact_price"));
        Assert.Equal("9760000000", records[1]["price"]);
        Assert.Equal(9_760_000_000, records[1].GetInt64("price"));
        Assert.Equal(0.1m, records[2].GetDecimal("price"));
        Assert.Equal(new DateOnly(2024, 1, 15), records[2].GetDate("week_start"));
        Assert.Null(records[1]["tier"]);
        Assert.Null(records[1].GetDecimalOrNull("exact_price"));
        Assert.Equal("0aff", records[0]["payload"]);
        Assert.Null(records[0].RawText);
        Assert.Equal("SELECT issue_symbol, shares, price, exact_price, week_start, tier, payload", records[0].SourceName);
    }

    [Fact]
    public async Task Parameters_are_bound_by_name_with_or_without_prefix_and_null_is_sql_null()
    {
        var options = new SqlSourceOptions
        {
            Parameters = new Dictionary<string, object?> { ["@week"] = "2024-01-08", ["min_shares"] = 1000L, ["tier"] = null },
        };
        var source = new SqlSource(_db, "SELECT issue_symbol FROM weekly WHERE week_start = @week AND shares >= @min_shares AND (@tier IS NULL OR tier = @tier) ORDER BY issue_symbol", options);

        var records = await Read.AllAsync(source);

        Assert.Equal(["AAPL", "MSFT"], records.Select(r => r["issue_symbol"]));
    }

    [Fact]
    public async Task Column_map_gives_canonical_names_and_required_columns_are_checked()
    {
        var options = new SqlSourceOptions
        {
            ColumnMap = new Dictionary<string, string> { ["ISSUE_SYMBOL"] = "symbol", ["week_start"] = "week" },
            RequiredColumns = ["symbol", "week", "shares"],
        };

        var records = await Read.AllAsync(new SqlSource(_db, "SELECT issue_symbol, week_start, shares FROM weekly ORDER BY rowid", options));

        Assert.Equal(["symbol", "week", "shares"], records[0].Columns);
        Assert.Equal("AAPL", records[0]["symbol"]);
        Assert.Equal(new DateOnly(2024, 1, 8), records[0].GetDate("week"));
    }

    [Fact]
    public async Task Result_without_a_required_column_is_a_header_mismatch_naming_the_query()
    {
        var options = new SqlSourceOptions { RequiredColumns = ["symbol", "shares"] };

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new SqlSource(_db, "SELECT issue_symbol, shares FROM weekly", options)));

        Assert.Equal(ErrorCodes.SourceHeaderMismatch, error.Code);
        Assert.Equal("SELECT issue_symbol, shares FROM weekly: missing required column symbol; header found: 'issue_symbol', 'shares'.", error.Message);
    }

    [Theory]
    [InlineData("SELEC issue_symbol\nFROM weekly", "SELEC issue_symbol")]
    [InlineData("\n  SELECT * FROM no_such_table\n  WHERE 1 = 1", "SELECT * FROM no_such_table")]
    public async Task Bad_sql_is_unreadable_and_names_the_first_line_of_the_query(string sql, string firstLine)
    {
        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new SqlSource(_db, sql)));

        Assert.Equal(ErrorCodes.SourceUnreadable, error.Code);
        Assert.Equal(firstLine, error.SourceName);
        Assert.StartsWith($"Query '{firstLine}' failed: SQLite Error 1: ", error.Message, StringComparison.Ordinal);
        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(error.InnerException);
        Assert.All(_db.Handed, c => Assert.Equal(ConnectionState.Closed, c.State));
    }

    [Fact]
    public async Task Missing_table_error_says_which_table()
    {
        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new SqlSource(_db, "SELECT * FROM no_such_table")));

        Assert.Equal("Query 'SELECT * FROM no_such_table' failed: SQLite Error 1: 'no such table: no_such_table'.", error.Message);
    }

    [Fact]
    public async Task Factory_may_return_a_closed_connection_and_the_source_disposes_it_at_the_end()
    {
        var source = new SqlSource(_db.CreateClosedAsync, "SELECT shares FROM weekly ORDER BY rowid");

        var records = await Read.AllAsync(source);

        Assert.Equal(["9760000000", "1200", "5"], records.Select(r => r["shares"]));
        var connection = Assert.Single(_db.Handed);
        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public async Task Stopping_early_disposes_the_connection()
    {
        var source = new SqlSource(_db, "SELECT shares FROM weekly ORDER BY rowid");

        await foreach (var record in source.ReadAsync(CancellationToken.None))
        {
            Assert.Equal(ConnectionState.Open, Assert.Single(_db.Handed).State);
            break;
        }

        Assert.Equal(ConnectionState.Closed, Assert.Single(_db.Handed).State);
    }

    [Fact]
    public async Task Each_enumeration_runs_the_query_again_on_its_own_connection()
    {
        var source = new SqlSource(_db, "SELECT count(*) AS n FROM weekly");

        var first = Assert.Single(await Read.AllAsync(source));
        var second = Assert.Single(await Read.AllAsync(source));

        Assert.Equal(3, first.GetInt64("n"));
        Assert.Equal(3, second.GetInt64("n"));
        Assert.Equal(2, _db.Handed.Count);
    }

    [Fact]
    public async Task Cancelled_token_stops_the_read()
    {
        using var cancellation = new CancellationTokenSource();
        var source = new SqlSource(_db, "SELECT shares FROM weekly");
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in source.ReadAsync(cancellation.Token))
            {
                seen++;
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(1, seen);
        Assert.Equal(ConnectionState.Closed, Assert.Single(_db.Handed).State);
    }

    [Fact]
    public async Task Typed_getter_failure_names_the_query_row_and_field()
    {
        var record = Assert.Single(await Read.AllAsync(new SqlSource(_db, "SELECT 'lots' AS shares")));

        var error = Assert.Throws<SourceError>(() => record.GetInt64("shares"));

        Assert.Equal("SELECT 'lots' AS shares row 1, field 'shares': 'lots' is not an integer.", error.Message);
    }
}
