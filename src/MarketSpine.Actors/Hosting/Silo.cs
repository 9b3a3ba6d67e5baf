using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Metrics;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Actors.Hosting;

/// <summary>
/// One silo in this process: the catalog of activations, the call-timeout sweep, idle collection
/// and, when a reminders table is configured, the reminder loop. It accepts calls between
/// <see cref="StartAsync"/> and <see cref="StopAsync"/>; stopping deactivates every activation
/// (running <c>OnDeactivateAsync</c>) before it returns.
/// </summary>
public sealed class Silo : IAsyncDisposable
{
    private readonly SiloRuntime _runtime;
    private readonly ILogger _logger;
    private ITimer? _timeoutSweep;
    private ITimer? _collector;
    private int _state;

    internal Silo(ActorsOptions options, IEnumerable<Type> grainClasses, IServiceProvider services)
    {
        options.Validate();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var directory = services.GetService<IGrainDirectory>() ?? new LocalGrainDirectory();
        _runtime = new SiloRuntime(options, services, time, loggerFactory, directory);
        _runtime.Registry = new GrainClassRegistry(_runtime, grainClasses);
        if (services.GetService<IReminderTable>() is { } reminderTable)
        {
            _runtime.Reminders = new ReminderService(_runtime, reminderTable);
        }

        _logger = loggerFactory.CreateLogger<Silo>();
    }

    public SiloAddress Address => _runtime.Address;

    public IGrainFactory GrainFactory => _runtime.GrainFactory;

    /// <summary>The reminder service, or null when no reminders table is configured.</summary>
    public ReminderService? Reminders => _runtime.Reminders;

    /// <summary>The live activations in this silo.</summary>
    public int ActivationCount => _runtime.Catalog.Count;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The silo was already started.");
        }

        var options = _runtime.Options;
        using (ExecutionContext.SuppressFlow())
        {
            _timeoutSweep = _runtime.Time.CreateTimer(static state => ((Silo)state!).SweepTimeouts(), this, options.CallTimeoutCheckInterval, options.CallTimeoutCheckInterval);
            _collector = _runtime.Time.CreateTimer(static state => ((Silo)state!).CollectIdle(), this, options.CollectionQuantum, options.CollectionQuantum);
        }

        _runtime.Catalog.Open();
        _runtime.Reminders?.Start();
        _logger.SiloStarted(_runtime.Address, _runtime.Registry.Classes.Count);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            return;
        }

        if (_runtime.Reminders is { } reminders)
        {
            await reminders.DisposeAsync();
        }

        _runtime.Catalog.Close();
        var activations = _runtime.Catalog.Activations.ToList();
        foreach (var activation in activations)
        {
            activation.RequestDeactivation(DeactivationReason.SiloStopping);
        }

        try
        {
            await Task.WhenAll(activations.Select(a => a.Gone))
                .WaitAsync(_runtime.Options.DeactivationTimeout + _runtime.Options.DefaultCallTimeout, _runtime.Time, cancellationToken);
        }
        catch (TimeoutException)
        {
            _logger.StopTimedOut(_runtime.Catalog.Count);
        }

        await _runtime.CancelStoppingAsync();
        _timeoutSweep?.Dispose();
        _collector?.Dispose();
        _runtime.Dispose();
        _logger.SiloStopped(_runtime.Address);
    }

    /// <summary>A snapshot of this silo's activations, calls, reminder ticks and errors.</summary>
    public SiloStatistics GetStatistics() =>
        _runtime.Metrics.Snapshot(_runtime.Address.ToString(), _runtime.Time.GetUtcNow(), _runtime.Registry.Classes);

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private void SweepTimeouts()
    {
        var now = _runtime.Time.GetTimestamp();
        foreach (var activation in _runtime.Catalog.Activations)
        {
            activation.ExpireMessages(now);
        }
    }

    private void CollectIdle()
    {
        var now = _runtime.Time.GetTimestamp();
        var age = _runtime.ToTimestampTicks(_runtime.Options.CollectionAge);
        var collected = 0;
        foreach (var activation in _runtime.Catalog.Activations)
        {
            if (activation.TryCollect(now, age))
            {
                collected++;
            }
        }

        if (collected > 0)
        {
            _logger.IdleCollected(collected);
        }
    }
}
