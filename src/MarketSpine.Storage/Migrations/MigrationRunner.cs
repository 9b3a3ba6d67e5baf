using System.Data.Common;
using MarketSpine.Core.Data;
using MarketSpine.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Storage.Migrations;

/// <summary>
/// Applies the embedded scripts in order, each in its own transaction with its <c>_migrations</c>
/// row, so a failing script leaves the database at the previous version. An applied script
/// whose text changed is an error, never a silent skip; a database that knows versions this build
/// does not is refused (it was migrated by newer code).
/// </summary>
public sealed partial class MigrationRunner(ISpineDatabase database, ILogger<MigrationRunner>? logger = null)
{
    // An arbitrary constant naming "Market Spine migrations" for pg_advisory_lock, so two silos
    // starting at once apply each script once.
    private const long PostgresAdvisoryLockKey = 0x5350494E45_4D4947;

    private readonly ILogger _logger = logger ?? NullLogger<MigrationRunner>.Instance;

    public IReadOnlyList<Migration> Migrations { get; } = MigrationCatalog.For(database.Dialect);

    /// <summary>Applies every pending script; returns the ones applied.</summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // The lock comes before the ledger table: concurrent CREATE TABLE IF NOT EXISTS on a fresh
        // PostgreSQL database races on its catalog (23505 on pg_type_typname_nsp_index), which
        // Runners_applying_concurrently_apply_each_migration_exactly_once reproduced.
        if (database.Dialect == SqlDialect.Postgres)
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresAdvisoryLockKey})", cancellationToken);
        }

        try
        {
            await EnsureLedgerTableAsync(connection, cancellationToken);
            var status = await VerifyAsync(connection, cancellationToken);
            foreach (var migration in status.Pending)
            {
                await ApplyOneAsync(connection, migration, cancellationToken);
            }

            return status.Pending;
        }
        finally
        {
            if (database.Dialect == SqlDialect.Postgres)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresAdvisoryLockKey})", CancellationToken.None);
            }
        }
    }

    /// <summary>Checks the database against the scripts without changing it.</summary>
    public async Task<MigrationStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await EnsureLedgerTableAsync(connection, cancellationToken);
        return await VerifyAsync(connection, cancellationToken);
    }

    /// <summary>For cluster hosts that must not migrate on their own: throws unless the schema is exactly current.</summary>
    public async Task EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        var status = await GetStatusAsync(cancellationToken);
        if (!status.IsCurrent)
        {
            throw new InvalidStateError(ErrorCodes.InvalidState,
                $"Database {database.Location} lacks {status.Pending.Count} migration(s), first {status.Pending[0].FileName}: run 'spine db init' (or the migration job) first.");
        }
    }

    private async Task<MigrationStatus> VerifyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var applied = await ReadAppliedAsync(connection, cancellationToken);
        var known = Migrations.ToDictionary(m => m.Version);
        foreach (var row in applied)
        {
            if (!known.TryGetValue(row.Version, out var migration))
            {
                throw new InvalidStateError(ErrorCodes.SchemaAhead,
                    $"Database {database.Location} has migration {row.Version:000}_{row.Name} that this build does not know: it was migrated by a newer version. Upgrade Market Spine rather than running an older one against it.");
            }

            if (!string.Equals(migration.Checksum, row.Checksum, StringComparison.Ordinal))
            {
                throw new InvalidStateError(ErrorCodes.MigrationChecksumMismatch,
                    $"Migration {migration.FileName} was edited after it was applied to {database.Location} (checksum {Abbreviate(row.Checksum)} applied, {Abbreviate(migration.Checksum)} now). Applied migrations are immutable: restore the file and add a new migration instead.",
                    new Dictionary<string, object?> { ["migration"] = migration.FileName });
            }
        }

        var appliedVersions = applied.Select(a => a.Version).ToHashSet();
        return new MigrationStatus(applied, [.. Migrations.Where(m => !appliedVersions.Contains(m.Version))]);
    }

    private async Task ApplyOneAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
        }
        catch (DbException exception)
        {
            throw new LoadError(ErrorCodes.LoadFailed, $"Migration {migration.FileName} failed on {database.Location}: {exception.Message}",
                new Dictionary<string, object?> { ["migration"] = migration.FileName }, exception);
        }

        await using (var record = connection.CreateCommand())
        {
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO _migrations (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, @applied_at)";
            record.Parameters.Add(Parameter(record, "@version", migration.Version));
            record.Parameters.Add(Parameter(record, "@name", migration.Name));
            record.Parameters.Add(Parameter(record, "@checksum", migration.Checksum));
            record.Parameters.Add(Parameter(record, "@applied_at", DateTimeOffset.UtcNow));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        LogApplied(migration.FileName, database.Location);
    }

    private async Task EnsureLedgerTableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var appliedAtType = database.Dialect == SqlDialect.Postgres ? "timestamptz" : "TEXT";
        await ExecuteAsync(connection, null,
            $"CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at {appliedAtType} NOT NULL)",
            cancellationToken);
    }

    private static async Task<List<AppliedMigration>> ReadAppliedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, name, checksum, applied_at FROM _migrations ORDER BY version";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new List<AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // The stored checksum may have been edited by hand to anything, even shorter than 12 characters.
    private static string Abbreviate(string checksum) => checksum.Length <= 12 ? checksum : checksum[..12];

    private static DbParameter Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Applied migration {Migration} to {Database}")]
    private partial void LogApplied(string migration, string database);
}
