using System.Data.Common;
using System.Globalization;
using MarketSpine.Core.Data;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Registry;
using MarketSpine.Domains.Otc.Persistence;
using MarketSpine.Domains.Otc.Queries;
using MarketSpine.Storage.Executions;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Postgres;
using MarketSpine.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Domains.Otc.Tests.Harness;

/// <summary>
/// The OTC domain wired as a host wires it (registry, dispatcher, ledger, store, queries) on a
/// freshly migrated database of either dialect, with a scratch folder for input files.
/// </summary>
public sealed class OtcHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private OtcHarness(ISpineDatabase database, string directory)
    {
        Database = database;
        Directory = directory;
        _services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(database)
            .AddSingleton<IExecutionLedger, SqlExecutionLedger>()
            .AddSingleton(PipelineRegistry.FromAssemblies(OtcDomain.Assembly))
            .AddSingleton<Dispatcher>()
            .AddOtcDomain()
            .BuildServiceProvider();
    }

    public ISpineDatabase Database { get; }

    public string Directory { get; }

    public Dispatcher Dispatcher => _services.GetRequiredService<Dispatcher>();

    public OtcQueryService Queries => _services.GetRequiredService<OtcQueryService>();

    public OtcStore Store => _services.GetRequiredService<OtcStore>();

    public IExecutionLedger Ledger => _services.GetRequiredService<IExecutionLedger>();

    public static async Task<OtcHarness> SqliteAsync()
    {
        var directory = NewDirectory();
        var database = new SqliteSpineDatabase(Path.Combine(directory, "spine.db"));
        await new MigrationRunner(database).ApplyAsync(CancellationToken.None);
        return new OtcHarness(database, directory);
    }

    /// <summary>A harness on a test class's PostgreSQL database, emptied first so tests never see each other's rows.</summary>
    public static async Task<OtcHarness> PostgresAsync(string connectionString)
    {
        var database = new PostgresSpineDatabase(connectionString);
        await new MigrationRunner(database).ApplyAsync(CancellationToken.None);
        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        await using (var truncate = connection.Command("TRUNCATE otc_symbol_summary, otc_venue_share, otc_venue_volume, otc_rejects, otc_raw, otc_captures, executions"))
        {
            await truncate.ExecuteNonQueryAsync();
        }

        return new OtcHarness(database, NewDirectory());
    }

    public Task<ExecutionRecord> RunAsync(string pipeline, params (string Name, string Value)[] parameters) =>
        Dispatcher.SubmitAsync(
            new SubmitRequest(pipeline, parameters.ToDictionary(p => p.Name, p => (string?)p.Value)), null, CancellationToken.None);

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var connection = await Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.Command(sql);
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        switch (Database)
        {
            case SqliteSpineDatabase sqlite:
                sqlite.Delete();
                break;
            case PostgresSpineDatabase postgres:
                await postgres.DisposeAsync();
                break;
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "spine-otc-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }
}
