using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Metrics;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Runtime;

/// <summary>The parts of one silo that its activations, proxies and services share.</summary>
internal sealed class SiloRuntime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly double _timestampTicksPerTimeSpanTick;

    public SiloRuntime(ActorsOptions options, IServiceProvider services, TimeProvider time, ILoggerFactory loggerFactory, IGrainDirectory directory)
    {
        Options = options;
        Services = services;
        Time = time;
        LoggerFactory = loggerFactory;
        Directory = directory;
        Address = new SiloAddress(options.SiloName, time.GetUtcNow().ToUnixTimeMilliseconds());
        Copier = new ArgumentCopier(options.SerializerOptions);
        Catalog = new Catalog();
        Metrics = new ActorMetrics(Address.ToString());
        GrainFactory = new GrainFactory(this);
        Router = new CallRouter(this);
        _timestampTicksPerTimeSpanTick = (double)time.TimestampFrequency / TimeSpan.TicksPerSecond;
    }

    public ActorsOptions Options { get; }

    public IServiceProvider Services { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IGrainDirectory Directory { get; }

    public SiloAddress Address { get; }

    public ArgumentCopier Copier { get; }

    public Catalog Catalog { get; }

    public ActorMetrics Metrics { get; }

    /// <summary>A snapshot of this silo's activations, calls, reminder ticks and errors.</summary>
    public SiloStatistics GetStatistics() =>
        Metrics.Snapshot(Address.ToString(), Time.GetUtcNow(), Registry.Classes) with { Transport = Cluster?.Transport.GetStatistics() };

    public GrainFactory GrainFactory { get; }

    public CallRouter Router { get; }

    public GrainClassRegistry Registry { get; set; } = null!;

    /// <summary>The silo's cluster parts; null in single-node mode.</summary>
    public SiloCluster? Cluster { get; set; }

    public ReminderService? Reminders { get; set; }

    /// <summary>Cancelled when the silo stops.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public long ToTimestampTicks(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan || span.Ticks >= long.MaxValue / 4 / Math.Max(1, _timestampTicksPerTimeSpanTick)
            ? long.MaxValue / 2
            : (long)(span.Ticks * _timestampTicksPerTimeSpanTick);

    public IGrainStorage GetStorage(string name) =>
        Services.GetKeyedService<IGrainStorage>(name)
        ?? throw new InvalidOperationException($"No grain storage named '{name}' is configured: add one with SiloBuilder.Use...Storage(\"{name}\").");

    public Task CancelStoppingAsync() => _stopping.CancelAsync();

    public void Dispose()
    {
        _stopping.Dispose();
        Metrics.Dispose();
    }
}
