using MarketSpine.Storage.Tests.Support;
using MarketSpine.Testing;

namespace MarketSpine.Storage.Tests.Data;

public sealed class SqliteRowCursorTests(MigratedSqlite fixture) : RowCursorContract(fixture.Store), IClassFixture<MigratedSqlite>
{
    [Fact]
    public Task Reads_integers_strings_dates_and_nulls() => ReadsIntegersStringsDatesAndNulls();

    [Fact]
    public Task Repeated_values_and_more_distinct_values_than_the_cache_read_correctly() => RepeatedAndManyDistinctStringsReadCorrectly();

    [Fact]
    public Task Long_and_non_ascii_strings_read_correctly() => LongAndNonAsciiStringsReadCorrectly();

    [Fact]
    public Task Binds_parameters_by_name() => BindsParametersByName();

    [Fact]
    public Task An_unknown_parameter_name_is_an_error() => AnUnknownParameterNameIsAnError();

    [Fact]
    public Task Cancellation_is_honoured_on_a_long_read() => CancellationIsHonouredOnALongRead();

    /// <summary>The cursor may hand back one instance for a repeated value; it must still be the right value.</summary>
    [Fact]
    public async Task A_repeated_value_is_decoded_once_per_column()
    {
        var table = await CreateTableAsync("id integer PRIMARY KEY, a text, b text");
        for (var i = 0; i < 4; i++)
        {
            await Store.ExecuteAsync($"INSERT INTO {table} (id, a, b) VALUES (@id, 'NITE', @b)", ("@id", i), ("@b", i % 2 == 0 ? "NITE" : "CDEL"));
        }

        var rows = await ReadAllAsync($"SELECT a, b FROM {table} ORDER BY id", new Dictionary<string, object?>(), c => (c.GetString(0), c.GetString(1)));

        Assert.Equal([("NITE", "NITE"), ("NITE", "CDEL"), ("NITE", "NITE"), ("NITE", "CDEL")], rows);
        Assert.All(rows, r => Assert.Same(rows[0].Item1, r.Item1));
        Assert.Same(rows[0].Item2, rows[2].Item2);
    }

    // The cursor checks the token every 16,384 rows: the read that would return row 16,384 throws.
    protected override int? RowsReadAfterCancel => 16_384 - 1 - 1_000;
}

public sealed class PostgresRowCursorTests(MigratedPostgres fixture) : RowCursorContract(fixture.Store), IClassFixture<MigratedPostgres>
{
    [PostgresFact]
    public Task Reads_integers_strings_dates_and_nulls() => ReadsIntegersStringsDatesAndNulls();

    [PostgresFact]
    public Task Repeated_values_and_more_distinct_values_than_the_cache_read_correctly() => RepeatedAndManyDistinctStringsReadCorrectly();

    [PostgresFact]
    public Task Long_and_non_ascii_strings_read_correctly() => LongAndNonAsciiStringsReadCorrectly();

    [PostgresFact]
    public Task Binds_parameters_by_name() => BindsParametersByName();

    [PostgresFact]
    public Task An_unknown_parameter_name_is_an_error() => AnUnknownParameterNameIsAnError();

    [PostgresFact]
    public Task Cancellation_is_honoured_on_a_long_read() => CancellationIsHonouredOnALongRead();

    // Npgsql cancels by sending PostgreSQL a cancel request; the rows the server sent before it
    // acted (about 110,000 in our runs, depending on load) are still handed out: no exact count.
    protected override int? RowsReadAfterCancel => null;
}
