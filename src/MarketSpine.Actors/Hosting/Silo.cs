using System.Net;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Metrics;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Runtime;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSpine.Actors.Hosting;

/// <summary>
/// One silo in this process: the catalog of activations, the call-timeout sweep (of the calls its
/// activations run and, in a cluster, of its calls to other silos), idle collection,
/// when a reminders table is configured the reminder loop, and when clustering is configured its
/// transport and membership. It accepts calls between <see cref="StartAsync"/> and
/// <see cref="StopAsync"/>; stopping deactivates every activation (running <c>OnDeactivateAsync</c>)
/// before it returns. A clustered silo that loses its membership (declared dead, or unable to renew
/// its heartbeat) stops the same way on its own, refusing calls from the first moment, and completes
/// <see cref="Stopped"/> with the reason: its host should then exit.
/// </summary>
public sealed class Silo : IAsyncDisposable
{
    private readonly SiloRuntime _runtime;
    private readonly ILogger _logger;
    private readonly Lock _shutdownLock = new();
    private readonly TaskCompletionSource<SiloStopReason> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _shutdown;
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

        if (services.GetService<PostgresMembershipTable>() is { } membership)
        {
            options.Cluster.Validate();
            var transport = services.GetService<IMessageTransport>()
                            ?? throw new InvalidOperationException("A clustered silo needs a transport: configure one with SiloBuilder.UseTransport(...).");
            _runtime.Cluster = new SiloCluster(_runtime, membership, transport);
            _runtime.Cluster.Membership.Lost += OnMembershipLost;
        }

        _logger = loggerFactory.CreateLogger<Silo>();
    }

    public SiloAddress Address => _runtime.Address;

    /// <summary>Where other silos and clients reach this silo; null in single-node mode or before it starts.</summary>
    public IPEndPoint? Endpoint { get; private set; }

    public IGrainFactory GrainFactory => _runtime.GrainFactory;

    /// <summary>The reminder service, or null when no reminders table is configured.</summary>
    public ReminderService? Reminders => _runtime.Reminders;

    /// <summary>The live activations in this silo.</summary>
    public int ActivationCount => _runtime.Catalog.Count;

    /// <summary>
    /// The silos this silo knows to be alive, itself included, as of its last read of the membership
    /// table (every heartbeat); empty in single-node mode.
    /// </summary>
    public IReadOnlyList<SiloEntry> Members => [.. _runtime.Cluster?.Membership.View.Alive ?? []];

    /// <summary>Whether the silo has started and is not stopping: it runs grains and answers calls (a host's readiness).</summary>
    public bool IsActive => Volatile.Read(ref _state) == 2 && !_stopped.Task.IsCompleted && Volatile.Read(ref _shutdown) is null;

    /// <summary>Completes once the silo has stopped, with why; a host exits non-zero unless it is <see cref="SiloStopReason.Requested"/>.</summary>
    public Task<SiloStopReason> Stopped => _stopped.Task;

    /// <summary>
    /// Starts the silo. A clustered silo starts its transport, joins the membership (joining), and
    /// becomes active, a placement target and a gateway, only once everything else runs.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The silo was already started.");
        }

        var options = _runtime.Options;
        var cluster = _runtime.Cluster;
        if (cluster is not null)
        {
            await cluster.Transport.StartAsync(options.Cluster.ListenEndpoint, options.Cluster.AdvertisedEndpoint, new IncomingCallHandler(_runtime), cancellationToken);
            var endpoint = options.Cluster.AdvertisedEndpoint ?? cluster.Transport.LocalEndpoint!;
            if (endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                throw new InvalidOperationException(
                    $"The silo listens on {endpoint}, which other silos cannot call: set Cluster.AdvertisedEndpoint (Kubernetes: the pod IP).");
            }

            await cluster.Membership.JoinAsync(endpoint, cancellationToken);
            Endpoint = endpoint;
        }

        using (ExecutionContext.SuppressFlow())
        {
            _timeoutSweep = _runtime.Time.CreateTimer(static state => ((Silo)state!).SweepTimeouts(), this, options.CallTimeoutCheckInterval, options.CallTimeoutCheckInterval);
            _collector = _runtime.Time.CreateTimer(static state => ((Silo)state!).CollectIdle(), this, options.CollectionQuantum, options.CollectionQuantum);
        }

        _runtime.Catalog.Open();
        _runtime.Reminders?.Start();
        if (cluster is not null && !await cluster.Membership.SetStatusAsync(SiloStatus.Active, cancellationToken))
        {
            throw new InvalidOperationException($"Silo {_runtime.Address} was declared dead while it started.");
        }

        Interlocked.CompareExchange(ref _state, 2, 1);
        _logger.SiloStarted(_runtime.Address, _runtime.Registry.Classes.Count);
    }

    /// <summary>
    /// Stops the silo cleanly: a clustered silo first marks itself shutting down (no new grains come
    /// to it), then deactivates its grains (calls that arrive meanwhile go to wherever each grain
    /// activates next), leaves the membership and stops its transport.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) == 0)
        {
            return;
        }

        await Shutdown(SiloStopReason.Requested).WaitAsync(cancellationToken);
    }

    /// <summary>A snapshot of this silo's activations, calls, reminder ticks and errors.</summary>
    public SiloStatistics GetStatistics() => _runtime.GetStatistics();

    /// <summary>
    /// The statistics of every live silo of the cluster, this one included, asked of each at once
    /// (in single-node mode, this silo's alone).
    /// </summary>
    public async Task<ClusterStatistics> GetClusterStatisticsAsync(CancellationToken cancellationToken)
    {
        if (_runtime.Cluster is not { } cluster)
        {
            return new ClusterStatistics(_runtime.Time.GetUtcNow(), [GetStatistics()], []);
        }

        return await ClusterStatisticsCollector.CollectAsync(
            cluster.Membership.View.Alive, cluster.Transport, (_runtime.Address.ToString(), GetStatistics), _runtime.Time, cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private void OnMembershipLost(SiloStopReason reason)
    {
        // Peers may host this silo's grains from now on: refuse everything before anything else.
        _runtime.Cluster!.Fence();
        _ = Shutdown(reason);
    }

    private Task Shutdown(SiloStopReason reason)
    {
        lock (_shutdownLock)
        {
            return _shutdown ??= Task.Run(() => ShutdownAsync(reason));
        }
    }

    private async Task ShutdownAsync(SiloStopReason reason)
    {
        try
        {
            await DeactivateAllAsync(reason);
        }
        finally
        {
            _logger.SiloStopped(_runtime.Address, reason);
            _stopped.TrySetResult(reason);
        }
    }

    private async Task DeactivateAllAsync(SiloStopReason reason)
    {
        var cluster = _runtime.Cluster;
        if (cluster is not null && reason == SiloStopReason.Requested)
        {
            await TryMembershipAsync(() => cluster.Membership.SetStatusAsync(SiloStatus.ShuttingDown, CancellationToken.None));
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
                .WaitAsync(_runtime.Options.DeactivationTimeout + _runtime.Options.DefaultCallTimeout, _runtime.Time);
        }
        catch (TimeoutException)
        {
            _logger.StopTimedOut(_runtime.Catalog.Count);
        }

        if (cluster is not null)
        {
            await cluster.Membership.DisposeAsync();

            // Leaving cleanly, or making a lost membership visible at once rather than at a peer's next check.
            await TryMembershipAsync(() => cluster.Membership.Table.SetStatusAsync(_runtime.Address, SiloStatus.Dead, CancellationToken.None));
            await cluster.Transport.DisposeAsync();
        }

        await _runtime.CancelStoppingAsync();
        _timeoutSweep?.Dispose();
        _collector?.Dispose();
        _runtime.Dispose();
    }

    private async Task TryMembershipAsync(Func<Task<bool>> update)
    {
        try
        {
            await update();
        }
        catch (Exception exception)
        {
            _logger.MembershipUpdateFailed(exception, _runtime.Address);
        }
    }

    private void SweepTimeouts()
    {
        var now = _runtime.Time.GetTimestamp();
        foreach (var activation in _runtime.Catalog.Activations)
        {
            activation.ExpireMessages(now);
        }

        _runtime.Cluster?.Deadlines.Sweep();
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
