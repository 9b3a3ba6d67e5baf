using System.Data.Common;
using MarketSpine.Core.Data;
using MarketSpine.Storage.Tests.Support;
using MarketSpine.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MarketSpine.Storage.Tests.Data;

public sealed class SqliteBulkInsertTests(MigratedSqlite fixture) : BulkInsertContract(fixture.Store), IClassFixture<MigratedSqlite>
{
    [Fact]
    public Task Every_column_type_round_trips() => EveryColumnTypeRoundTrips();

    [Fact]
    public Task One_hundred_thousand_rows_load_in_one_transaction() => OneHundredThousandRowsInOneTransaction();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public Task A_rolled_back_transaction_leaves_no_rows(bool completeFirst) => ARolledBackTransactionLeavesNoRows(completeFirst);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public Task A_row_with_too_few_values_is_refused(bool atCompletion) => TooFewValuesInARowIsRefused(atCompletion);

    [Fact]
    public Task A_value_beyond_the_row_or_before_it_is_refused() => TooManyValuesOrAValueBeforeARowIsRefused();

    [Fact]
    public Task A_duplicate_key_surfaces_as_the_provider_error_and_rolls_back() => ADuplicateKeySurfacesAsTheProvidersErrorAndRollsBack();

    /// <summary>
    /// The bulk path binds text itself; what it stores must be the very text an ordinary
    /// parameterised command stores, or equality and range filters between the two would miss.
    /// </summary>
    [Fact]
    public async Task Dates_and_timestamps_are_stored_as_the_text_ordinary_commands_write()
    {
        BulkColumn[] columns = [new("id", BulkColumnType.Integer), new("d", BulkColumnType.Date), new("ts", BulkColumnType.TimestampUtc)];
        var table = await CreateTableAsync(columns, primaryKey: "id");
        var values = new (DateOnly Date, DateTimeOffset Time)[]
        {
            (new DateOnly(2024, 2, 29), new DateTimeOffset(2024, 3, 1, 12, 34, 56, TimeSpan.Zero).AddTicks(1_234_560)),
            (new DateOnly(2024, 3, 1), new DateTimeOffset(2024, 3, 1, 12, 34, 56, TimeSpan.Zero)),
            (new DateOnly(2024, 3, 2), new DateTimeOffset(2024, 3, 1, 14, 34, 56, TimeSpan.FromHours(2)).AddTicks(5_000_000)),
        };
        await using (var connection = await Store.Database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
        {
            await using (var bulk = await Store.Database.BeginBulkInsertAsync(connection, transaction, table, columns, CancellationToken.None))
            {
                for (var i = 0; i < values.Length; i++)
                {
                    await bulk.StartRowAsync(CancellationToken.None);
                    bulk.Write(i);
                    bulk.Write(values[i].Date);
                    bulk.Write(values[i].Time);
                }

                await bulk.CompleteAsync(CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        for (var i = 0; i < values.Length; i++)
        {
            await using var connection = await Store.Database.OpenConnectionAsync(CancellationToken.None);
            await using var command = connection.Command($"SELECT COUNT(*) FROM {table} WHERE id = @id AND d = @d AND ts = @ts AND typeof(d) = 'text' AND typeof(ts) = 'text'")
                .WithParameter("@id", i).WithParameter("@d", values[i].Date).WithParameter("@ts", values[i].Time);
            Assert.Equal(1L, await command.ExecuteScalarAsync(CancellationToken.None));
        }

        Assert.Equal(["2024-03-01 12:34:56.123456+00:00", "2024-03-01 12:34:56+00:00", "2024-03-01 12:34:56.5+00:00"],
            await ReadAsync($"SELECT ts FROM {table} ORDER BY id", r => r.GetString(0)));
    }

    protected override void AssertDuplicateKey(DbException exception)
    {
        var sqlite = Assert.IsType<SqliteException>(exception);
        Assert.Equal(19, sqlite.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(1555, sqlite.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_PRIMARYKEY
        Assert.Contains("UNIQUE constraint failed", sqlite.Message, StringComparison.Ordinal);
        Assert.Contains("inserting row 3", sqlite.Message, StringComparison.Ordinal);
    }

    // Numeric is text: SQLite has no exact decimal and NUMERIC affinity would round to REAL.
    protected override string SqlType(BulkColumnType type) => type switch
    {
        BulkColumnType.BigInt or BulkColumnType.Integer => "INTEGER",
        _ => "TEXT",
    };
}

public sealed class PostgresBulkInsertTests(MigratedPostgres fixture) : BulkInsertContract(fixture.Store), IClassFixture<MigratedPostgres>
{
    [PostgresFact]
    public Task Every_column_type_round_trips() => EveryColumnTypeRoundTrips();

    [PostgresFact]
    public Task One_hundred_thousand_rows_load_in_one_transaction() => OneHundredThousandRowsInOneTransaction();

    [PostgresTheory]
    [InlineData(true)]
    [InlineData(false)]
    public Task A_rolled_back_transaction_leaves_no_rows(bool completeFirst) => ARolledBackTransactionLeavesNoRows(completeFirst);

    [PostgresTheory]
    [InlineData(true)]
    [InlineData(false)]
    public Task A_row_with_too_few_values_is_refused(bool atCompletion) => TooFewValuesInARowIsRefused(atCompletion);

    [PostgresFact]
    public Task A_value_beyond_the_row_or_before_it_is_refused() => TooManyValuesOrAValueBeforeARowIsRefused();

    [PostgresFact]
    public Task A_duplicate_key_surfaces_as_the_provider_error_and_rolls_back() => ADuplicateKeySurfacesAsTheProvidersErrorAndRollsBack();

    protected override void AssertDuplicateKey(DbException exception)
    {
        var postgres = Assert.IsType<PostgresException>(exception);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, postgres.SqlState);
    }

    protected override string SqlType(BulkColumnType type) => type switch
    {
        BulkColumnType.Text => "text",
        BulkColumnType.BigInt => "bigint",
        BulkColumnType.Integer => "integer",
        BulkColumnType.Numeric => "numeric",
        BulkColumnType.Date => "date",
        BulkColumnType.TimestampUtc => "timestamptz",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
