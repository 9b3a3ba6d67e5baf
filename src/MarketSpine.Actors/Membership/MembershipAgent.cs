using System.Net;
using System.Threading.Channels;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Runtime;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Membership;

/// <summary>
/// A silo's part in failure detection. Every <see cref="ClusterOptions.HeartbeatInterval"/> it renews the
/// silo's heartbeat, reads the membership into a new <see cref="MembershipView"/>, and declares dead any
/// peer whose heartbeat is older than <see cref="ClusterOptions.DeathTimeout"/>.
/// The silo's lease is the death timeout counted from the clock reading written with its last
/// successful renewal, the same value peers judge it by. A renewal that finds the silo declared dead,
/// or a lease that runs out with no renewal, ends the silo (<see cref="Lost"/>): peers are then free
/// to activate its grains, so it must not go on serving them. A renewal that succeeds, however late,
/// proves no peer has declared the silo yet (the database orders the two conditional statements), so
/// a silo that was merely slow carries on.
/// </summary>
internal sealed class MembershipAgent : IAsyncDisposable
{
    private readonly SiloRuntime _runtime;
    private readonly PostgresMembershipTable _table;
    private readonly ClusterOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _viewLock = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private volatile MembershipView _view = MembershipView.Empty;
    private ITimer? _timer;
    private Task? _loop;
    private long _renewedAt;
    private int _lost;

    public MembershipAgent(SiloRuntime runtime, PostgresMembershipTable table)
    {
        _runtime = runtime;
        _table = table;
        _options = runtime.Options.Cluster;
        _logger = runtime.LoggerFactory.CreateLogger<MembershipAgent>();
    }

    /// <summary>Raised once, from the heartbeat loop, when the silo must stop.</summary>
    public event Action<SiloStopReason>? Lost;

    /// <summary>Raised with the silos that were alive in the previous view and are not in the new one.</summary>
    public event Action<IReadOnlyCollection<SiloAddress>>? SilosGone;

    public MembershipView View => _view;

    public PostgresMembershipTable Table => _table;

    /// <summary>Inserts the silo's row (joining), reads the membership and starts the heartbeat loop.</summary>
    public async Task JoinAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var stamp = _runtime.Time.GetTimestamp();
        var now = _runtime.Time.GetUtcNow();
        var address = _runtime.Address;
        await _table.JoinAsync(
            new SiloEntry(address, endpoint, SiloStatus.Joining, now, DateTimeOffset.FromUnixTimeMilliseconds(address.Generation), 0),
            now - _options.DeadSiloRetention, cancellationToken);
        Volatile.Write(ref _renewedAt, stamp);
        await RefreshAsync(cancellationToken);
        _logger.Joined(address, endpoint);
        using (ExecutionContext.SuppressFlow())
        {
            var interval = _options.HeartbeatInterval;
            _timer = _runtime.Time.CreateTimer(static state => ((Channel<bool>)state!).Writer.TryWrite(true), _wake, interval, interval);
            _loop = Task.Run(RunAsync, CancellationToken.None);
        }
    }

    /// <summary>Moves the silo to <paramref name="status"/>; false when it had been declared dead meanwhile.</summary>
    public async Task<bool> SetStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        var changed = await _table.SetStatusAsync(_runtime.Address, status, cancellationToken);
        if (changed)
        {
            _logger.StatusChanged(_runtime.Address, status);
            await RefreshAsync(cancellationToken);
        }

        return changed;
    }

    /// <summary>Reads the membership table now and publishes the new view.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken) => Apply(new MembershipView(await _table.ReadAliveAsync(cancellationToken)));

    /// <summary>Stops heartbeats (the loop ends before this returns). The row is left as it is.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _timer?.Dispose();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (await _wake.Reader.WaitToReadAsync(stopping))
            {
                _wake.Reader.TryRead(out _);
                if (!await BeatAsync(stopping))
                {
                    return;
                }
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping: a database call cut short by the cancellation may surface as any exception.
        }
    }

    /// <summary>One heartbeat; false once the silo has lost its membership and the loop must end.</summary>
    private async Task<bool> BeatAsync(CancellationToken stopping)
    {
        var time = _runtime.Time;
        var sentAt = time.GetTimestamp();
        var now = time.GetUtcNow();
        var leaseEnd = Volatile.Read(ref _renewedAt) + _runtime.ToTimestampTicks(_options.DeathTimeout);

        // Bounded by the lease, so a hung database cannot hold the silo past it; once the lease has
        // run out (the process stalled), one more attempt may still prove the silo was not declared.
        var budget = leaseEnd > sentAt ? time.GetElapsedTime(sentAt, leaseEnd) : _options.HeartbeatInterval;
        bool? renewed = null;
        try
        {
            using var timeout = new CancellationTokenSource(Clamp(budget), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
            renewed = await _table.HeartbeatAsync(_runtime.Address, now, _runtime.Catalog.Count, linked.Token);
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            _logger.HeartbeatFailed(exception, _runtime.Address);
            _runtime.Metrics.RecordError("heartbeat_failed");
        }

        if (renewed == false)
        {
            return Lose(SiloStopReason.DeclaredDead);
        }

        if (renewed == true)
        {
            Volatile.Write(ref _renewedAt, sentAt);
        }
        else if (time.GetTimestamp() >= leaseEnd)
        {
            return Lose(SiloStopReason.HeartbeatLost);
        }

        await ReadAndJudgePeersAsync(now, stopping);
        return true;
    }

    private async Task ReadAndJudgePeersAsync(DateTimeOffset now, CancellationToken stopping)
    {
        MembershipView view;
        try
        {
            view = new MembershipView(await _table.ReadAliveAsync(stopping));
        }
        catch (Exception exception) when (!stopping.IsCancellationRequested)
        {
            _logger.ReadFailed(exception);
            _runtime.Metrics.RecordError("membership_read_failed");
            return;
        }

        var staleBefore = now - _options.DeathTimeout;
        if (view.Alive.Any(e => e.Address != _runtime.Address && e.HeartbeatAt < staleBefore))
        {
            try
            {
                var declared = await _table.DeclareDeadAsync(staleBefore, _runtime.Address, stopping);
                foreach (var silo in declared)
                {
                    _logger.DeclaredDead(silo, staleBefore);
                }

                // Whether this silo or a racing peer declared them, they are dead now.
                view = new MembershipView(view.Alive.Where(e => e.Address == _runtime.Address || e.HeartbeatAt >= staleBefore));
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                _logger.DeclareFailed(exception);
                _runtime.Metrics.RecordError("membership_declare_failed");
            }
        }

        Apply(view);
    }

    private void Apply(MembershipView view)
    {
        List<SiloAddress>? gone = null;
        lock (_viewLock)
        {
            foreach (var entry in _view.Alive)
            {
                if (!view.IsAlive(entry.Address))
                {
                    (gone ??= []).Add(entry.Address);
                }
            }

            _view = view;
        }

        if (gone is not null)
        {
            foreach (var silo in gone)
            {
                _logger.SiloGone(silo);
            }

            SilosGone?.Invoke(gone);
        }
    }

    private bool Lose(SiloStopReason reason)
    {
        if (Interlocked.Exchange(ref _lost, 1) == 0)
        {
            _logger.MembershipLost(_runtime.Address, reason);
            _runtime.Metrics.RecordError("membership_lost");
            Lost?.Invoke(reason);
        }

        return false;
    }

    private static TimeSpan Clamp(TimeSpan budget) => budget < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : budget;
}
