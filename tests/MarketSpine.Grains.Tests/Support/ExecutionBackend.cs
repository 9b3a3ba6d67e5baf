using System.Data.Common;
using System.Globalization;
using MarketSpine.Actors.Hosting;
using MarketSpine.Core.Data;
using MarketSpine.Storage.Migrations;

namespace MarketSpine.Grains.Tests.Support;

/// <summary>
/// A fresh database of one dialect, migrated by the production migrations (executions, events, dead
/// letters, grain state, reminders), and how a silo keeps its grain state and reminders in it. The
/// seam through which the same tests run on SQLite and on PostgreSQL.
/// </summary>
public abstract class ExecutionBackend : IAsyncDisposable
{
    public abstract ISpineDatabase Database { get; }

    /// <summary>Keeps the silo's grain state and reminders in this database.</summary>
    public abstract void ConfigureSilo(SiloBuilder silo);

    public abstract ValueTask DisposeAsync();

    public async Task<long> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = Bind(connection.Command(sql), parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = Bind(connection.Command(sql), parameters);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of every row, as text.</summary>
    public async Task<IReadOnlyList<string>> StringsAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = Bind(connection.Command(sql), parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    protected async Task MigrateAsync() => await new MigrationRunner(Database).ApplyAsync(CancellationToken.None);

    private static DbCommand Bind(DbCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.WithParameter(name, value);
        }

        return command;
    }
}
