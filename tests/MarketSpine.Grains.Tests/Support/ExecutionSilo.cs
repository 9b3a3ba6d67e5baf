using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Hosting;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Registry;
using MarketSpine.Grains.Dispatch;
using MarketSpine.Grains.Hosting;
using MarketSpine.Grains.Tests.Pipelines;
using MarketSpine.Storage.Executions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.Tests.Support;

/// <summary>
/// A single-node silo that runs the test pipelines, as the embedded tier runs them: grain state,
/// reminders and executions all in one <see cref="ExecutionBackend"/>, on real time. Its options are
/// short (the <c>Configure</c> methods) so that watchdogs, retries and stop graces happen within a test.
/// </summary>
public sealed class ExecutionSilo : IAsyncDisposable
{
    /// <summary>Log lines kept per execution in the tests, small enough to see the rotation.</summary>
    public const int LogLinesKept = 5;

    private readonly ServiceProvider _provider;

    private ExecutionSilo(ServiceProvider provider, ExecutionBackend backend, PipelineProbe probe, LogCollector logs)
    {
        Logs = logs;
        _provider = provider;
        Backend = backend;
        Probe = probe;
        Silo = provider.GetRequiredService<Silo>();
        Dispatcher = provider.GetRequiredService<ExecutionDispatcher>();
        Store = provider.GetRequiredService<IExecutionStore>();
        Options = provider.GetRequiredService<ExecutionOptions>();
    }

    public ExecutionBackend Backend { get; }

    /// <summary>What the silo logged at warning and above.</summary>
    public LogCollector Logs { get; }

    public PipelineProbe Probe { get; }

    public Silo Silo { get; }

    public IGrainFactory Grains => Silo.GrainFactory;

    public ExecutionDispatcher Dispatcher { get; }

    public IExecutionStore Store { get; }

    public ExecutionOptions Options { get; }

    public static async Task<ExecutionSilo> StartAsync(ExecutionBackend backend, PipelineProbe? probe = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        probe ??= new PipelineProbe();
        var services = new ServiceCollection();
        var logs = new LogCollector();
        AddServices(services, probe, logs, new SqlExecutionStore(backend.Database));
        services.AddMarketSpineActors(silo =>
        {
            silo.AddExecutionGrains();
            backend.ConfigureSilo(silo);
            silo.Configure(Configure);
        });
        var provider = services.BuildServiceProvider();
        var silo = new ExecutionSilo(provider, backend, probe, logs);
        await silo.Silo.StartAsync(CancellationToken.None);
        return silo;
    }

    /// <summary>What every test silo has besides the runtime: the test pipelines, the probe, the store and the execution services.</summary>
    public static void AddServices(IServiceCollection services, PipelineProbe probe, LogCollector logs, IExecutionStore store, Action<ExecutionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(probe);
        services.AddSingleton(PipelineRegistry.FromAssemblies(typeof(ExecutionSilo).Assembly));
        services.AddSingleton(store);
        services.AddMarketSpineExecutions(options =>
        {
            Configure(options);
            configure?.Invoke(options);
        });
    }

    /// <summary>Short periods, so that a watchdog tick, a retry's backoff or a stop grace fits in a test.</summary>
    public static void Configure(ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.WatchdogPeriod = TimeSpan.FromSeconds(1);
        options.StopGrace = TimeSpan.FromSeconds(1);
        options.ProgressInterval = TimeSpan.FromMilliseconds(50);
        options.LogLinesKept = LogLinesKept;
        options.LaneConcurrency[Lane.Normal] = 8;
    }

    public static void Configure(ActorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Reminders.PollInterval = TimeSpan.FromMilliseconds(200);
    }

    /// <summary>Submits and waits for the end (at most <paramref name="limit"/>, 20 s by default).</summary>
    public async Task<ExecutionRecord> RunAsync(SubmitRequest request, TimeSpan? limit = null)
    {
        var submitted = await Dispatcher.SubmitAsync(request, CancellationToken.None);
        return await WaitAsync(submitted.ExecutionId, limit);
    }

    /// <summary>Waits for the end of an execution; fails the test if it has not ended within <paramref name="limit"/>.</summary>
    public async Task<ExecutionRecord> WaitAsync(string executionId, TimeSpan? limit = null)
    {
        var record = await Dispatcher.WaitAsync(executionId, limit ?? TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.True(record.IsTerminal, $"Execution {executionId} is still {record.Status} after {limit ?? TimeSpan.FromSeconds(20)}.");
        return record;
    }

    public async ValueTask DisposeAsync()
    {
        await Silo.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        await _provider.DisposeAsync();
    }
}
