using System.Data.Common;
using System.Globalization;
using MarketSpine.Core.Data;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Registry;
using MarketSpine.Domains.Otc.Persistence;
using MarketSpine.Domains.Otc.Queries;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Postgres;
using MarketSpine.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Domains.Otc.Tests.Harness;

/// <summary>
/// The OTC domain wired as a host wires it (registry, store, queries) on a freshly migrated database
/// of either dialect, with a scratch folder for input files. <see cref="RunAsync"/> runs a pipeline as
/// one attempt of an execution runs it (the parameters validated against the spec before anything
/// runs, the pipeline built from the services, its failure turned into a coded error) and keeps the
/// outcome in <see cref="Ledger"/>; the execution runtime (grains, retries, dead letters) has tests of
/// its own, these are the domain's.
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
            .AddSingleton(PipelineRegistry.FromAssemblies(OtcDomain.Assembly))
            .AddOtcDomain()
            .BuildServiceProvider();
    }

    public ISpineDatabase Database { get; }

    public string Directory { get; }

    public OtcQueryService Queries => _services.GetRequiredService<OtcQueryService>();

    public OtcStore Store => _services.GetRequiredService<OtcStore>();

    /// <summary>Every run of this harness that got past validation, as its execution record.</summary>
    public RunLedger Ledger { get; } = new();

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
        await using (var truncate = connection.Command("TRUNCATE otc_symbol_summary, otc_venue_share, otc_venue_volume, otc_rejects, otc_raw, otc_captures"))
        {
            await truncate.ExecuteNonQueryAsync();
        }

        return new OtcHarness(database, NewDirectory());
    }

    /// <summary>
    /// Runs <paramref name="pipeline"/> to its end and returns its record: completed, or failed with the
    /// error's code. An unknown pipeline or bad parameters throw before anything runs or is recorded.
    /// </summary>
    public async Task<ExecutionRecord> RunAsync(string pipeline, params (string Name, string Value)[] parameters)
    {
        var descriptor = _services.GetRequiredService<PipelineRegistry>().Get(pipeline);
        var validated = descriptor.Validate(parameters.ToDictionary(p => p.Name, p => (string?)p.Value));
        var clock = TimeProvider.System;
        var started = clock.GetUtcNow();
        var executionId = ExecutionIds.New(started);
        var context = new PipelineContext(executionId, descriptor.Name, validated, NullLogger.Instance, new Progress<PipelineProgress>(), clock);
        var record = new ExecutionRecord(executionId, descriptor.Name, validated.ToText(), ExecutionStatus.Running, Lane.Normal, TriggerSource.Cli,
            null, null, started, started, null, new Dictionary<string, double>(), new Dictionary<string, string>(), [], 0, null) { Attempt = 1 };
        try
        {
            var outcome = await descriptor.Create(_services).RunAsync(context, CancellationToken.None);
            record = record with
            {
                Status = ExecutionStatus.Completed, CompletedAt = clock.GetUtcNow(), Metrics = outcome.Metrics, Outputs = outcome.Outputs,
                Quality = outcome.Quality, RejectCount = outcome.RejectCount,
            };
        }
        catch (Exception exception)
        {
            record = record with
            {
                Status = ExecutionStatus.Failed, CompletedAt = clock.GetUtcNow(), Error = SpineError.Describe(exception),
                Quality = exception is QualityGateError gate ? gate.Failed : [],
            };
        }

        Ledger.Add(record);
        return record;
    }

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

/// <summary>The runs of one harness, listed as the execution store lists executions: filtered, newest first.</summary>
public sealed class RunLedger
{
    private readonly List<ExecutionRecord> _records = [];

    public Task<IReadOnlyList<ExecutionRecord>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_records)
        {
            IReadOnlyList<ExecutionRecord> listed = [.. _records
                .Where(r => query.Status is null || r.Status == query.Status)
                .Where(r => query.Pipeline is null || r.Pipeline == query.Pipeline)
                .Where(r => query.Since is null || r.CreatedAt >= query.Since)
                .OrderByDescending(r => r.ExecutionId, StringComparer.Ordinal)
                .Take(query.Limit)];
            return Task.FromResult(listed);
        }
    }

    internal void Add(ExecutionRecord record)
    {
        lock (_records)
        {
            _records.Add(record);
        }
    }
}
