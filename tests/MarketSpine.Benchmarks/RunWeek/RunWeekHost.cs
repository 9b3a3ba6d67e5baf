using MarketSpine.Core.Data;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Registry;
using MarketSpine.Domains.Otc;
using MarketSpine.Domains.Otc.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Benchmarks.RunWeek;

/// <summary>
/// The OTC domain as the hosts wire it, over a given database, for the benchmarks that time
/// <c>run_week</c> (on SQLite and on PostgreSQL): the pipeline run as one attempt of an execution runs
/// it (validated parameters, built from the services), without the execution runtime around it.
/// </summary>
public sealed class RunWeekHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public RunWeekHost(ISpineDatabase database)
    {
        _services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(database)
            .AddSingleton(PipelineRegistry.FromAssemblies(OtcDomain.Assembly))
            .AddOtcDomain()
            .BuildServiceProvider();
    }

    /// <summary>Runs <c>run_week</c> on an OTC-tier file; throws unless it completed.</summary>
    public async Task RunWeekAsync(string file)
    {
        // A failing run throws its SpineError (its code and message) out of the benchmark.
        var descriptor = _services.GetRequiredService<PipelineRegistry>().Get(OtcPipelineNames.RunWeek);
        var parameters = descriptor.Validate(new Dictionary<string, string?> { ["file"] = file, ["tier"] = "OTC" });
        var context = new PipelineContext(ExecutionIds.New(TimeProvider.System.GetUtcNow()), descriptor.Name, parameters,
            NullLogger.Instance, new Progress<PipelineProgress>(), TimeProvider.System);
        await descriptor.Create(_services).RunAsync(context, CancellationToken.None);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
