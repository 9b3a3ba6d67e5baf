using System.Data.Common;
using MarketSpine.Storage.Tests.Support;
using MarketSpine.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MarketSpine.Storage.Tests.Executions;

public sealed class SqliteExecutionLedgerTests(MigratedSqlite fixture) : ExecutionLedgerContract(fixture.Store), IClassFixture<MigratedSqlite>
{
    [Fact]
    public Task Create_mark_running_and_complete_round_trip_every_field() => CreateMarkRunningAndCompleteRoundTripEveryField();

    [Fact]
    public Task A_successful_completion_stores_no_error() => ASuccessfulCompletionStoresNoError();

    [Fact]
    public Task Finds_by_idempotency_key() => FindsByIdempotencyKey();

    [Fact]
    public Task A_duplicate_idempotency_key_is_rejected() => ADuplicateIdempotencyKeyIsRejected();

    [Fact]
    public Task List_filters_orders_newest_first_and_limits() => ListFiltersOrdersNewestFirstAndLimits();

    [Fact]
    public Task Updating_an_unknown_execution_is_not_found() => UpdatingAnUnknownExecutionIsNotFound();

    protected override void AssertUniqueViolation(DbException exception)
    {
        var sqlite = Assert.IsType<SqliteException>(exception);
        Assert.Equal(19, sqlite.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(2067, sqlite.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_UNIQUE
        Assert.Contains("executions.idempotency_key", sqlite.Message, StringComparison.Ordinal);
    }
}

public sealed class PostgresExecutionLedgerTests(MigratedPostgres fixture) : ExecutionLedgerContract(fixture.Store), IClassFixture<MigratedPostgres>
{
    [PostgresFact]
    public Task Create_mark_running_and_complete_round_trip_every_field() => CreateMarkRunningAndCompleteRoundTripEveryField();

    [PostgresFact]
    public Task A_successful_completion_stores_no_error() => ASuccessfulCompletionStoresNoError();

    [PostgresFact]
    public Task Finds_by_idempotency_key() => FindsByIdempotencyKey();

    [PostgresFact]
    public Task A_duplicate_idempotency_key_is_rejected() => ADuplicateIdempotencyKeyIsRejected();

    [PostgresFact]
    public Task List_filters_orders_newest_first_and_limits() => ListFiltersOrdersNewestFirstAndLimits();

    [PostgresFact]
    public Task Updating_an_unknown_execution_is_not_found() => UpdatingAnUnknownExecutionIsNotFound();

    protected override void AssertUniqueViolation(DbException exception)
    {
        var postgres = Assert.IsType<PostgresException>(exception);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, postgres.SqlState);
        Assert.Equal("executions_idempotency_key_key", postgres.ConstraintName);
    }
}
