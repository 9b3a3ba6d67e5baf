using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Hosting;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Messaging;
using MarketSpine.Actors.Metrics;
using MarketSpine.Actors.Runtime;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Client;

/// <summary>
/// An <see cref="IClusterClient"/> for a process that hosts no silo (the API, the CLI, a job): it reads
/// the active silos from the membership table and sends each call to one of them, a gateway, which
/// routes it to the grain's activation wherever it is. The gateway is the silo that ran the grain's
/// last call when the client knows it (<see cref="GrainLocations"/>), so most calls take one hop; else
/// one at random. When a gateway cannot be reached, or refuses the call because it is leaving the
/// cluster, the call is sent once more through another gateway and the failed one is skipped until
/// the membership settles; a call that may have reached its gateway is never sent again. Every call is
/// bounded by its timeout, checked by one periodic sweep.
/// </summary>
public sealed class RemoteClusterClient : IClusterClient, IAsyncDisposable
{
    private readonly ClusterClientOptions _options;
    private readonly PostgresMembershipTable _membership;
    private readonly IMessageTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WireCodec _wire;
    private readonly GatewaySelector _gateways;
    private readonly GrainLocations _locations;
    private readonly CallDeadlines _deadlines;
    private readonly ConcurrentDictionary<MethodInfo, ClientMethod> _methods = new();
    private readonly CancellationTokenSource _disposed = new();
    private ITimer? _refresh;
    private ITimer? _timeoutSweep;

    internal RemoteClusterClient(ClusterClientOptions options, PostgresMembershipTable membership, IMessageTransport transport, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _options = options;
        _membership = membership;
        _transport = transport;
        _time = time;
        _logger = loggerFactory.CreateLogger<RemoteClusterClient>();
        _gateways = new GatewaySelector(time);
        _locations = new GrainLocations(options.LocationCacheSize);
        _deadlines = new CallDeadlines(time, options.CallTimeoutCheckInterval);
        var wireOptions = new JsonSerializerOptions(options.SerializerOptions);
        wireOptions.Converters.Add(new GrainReferenceConverter(GetGrain));
        _wire = new WireCodec(wireOptions);
    }

    /// <summary>Reads the gateways and keeps them fresh; fails when the cluster has no active silo.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_refresh is not null)
        {
            throw new InvalidOperationException("The client is already connected.");
        }

        await RefreshAsync(cancellationToken);
        if (_gateways.Active.Count == 0)
        {
            throw new SiloUnavailableException("The cluster has no active silo to serve as a gateway.");
        }

        using (ExecutionContext.SuppressFlow())
        {
            var interval = _options.GatewayRefreshInterval;
            _refresh = _time.CreateTimer(static state => _ = ((RemoteClusterClient)state!).RefreshQuietlyAsync(), this, interval, interval);
            var check = _options.CallTimeoutCheckInterval;
            _timeoutSweep = _time.CreateTimer(static state => ((RemoteClusterClient)state!)._deadlines.Sweep(), this, check, check);
        }

        _logger.Connected(_gateways.Active.Count);
    }

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        return (TGrainInterface)GetGrain(typeof(TGrainInterface), key);
    }

    public async Task<ClusterStatistics> GetClusterStatisticsAsync(CancellationToken cancellationToken) =>
        await ClusterStatisticsCollector.CollectAsync(await _membership.ReadAliveAsync(cancellationToken), _transport, local: null, _time, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync();
        _refresh?.Dispose();
        await _transport.DisposeAsync();

        // After the transport: its disposal fails every call still waiting, so no call is left to time out.
        _timeoutSweep?.Dispose();
    }

    internal ClientMethod MethodOf(MethodInfo interfaceMethod) =>
        _methods.GetOrAdd(interfaceMethod, static (method, timeout) => ClientMethod.Create(method, timeout), _options.DefaultCallTimeout);

    internal async Task<TResult> CallAsync<TResult>(ClientMethod method, string key, object?[] arguments)
    {
        var deadline = _deadlines.TokenAfter(method.Timeout);
        var payload = _wire.EncodeRequest(new RequestHeader(CallMode.Route, null, key, method.WireName, method.Timeout, 0), null, arguments, method.ParameterTypes);
        var grainInterface = method.InterfaceMethod.DeclaringType!;
        Directory.SiloAddress? failed = null;
        while (true)
        {
            var gateway = _gateways.Pick(exclude: failed, preferred: _locations.Find(grainInterface, key)) ?? throw new SiloUnavailableException(
                $"{method.Describe(key)} found no active gateway{(failed is null ? "" : $" other than {failed}, which failed")}.");
            string reason;
            try
            {
                var response = WireCodec.DecodeResponse(await _transport.SendAsync(gateway.Endpoint, payload, deadline));
                if (response.AnsweredOn is { } answeredOn)
                {
                    _locations.Put(grainInterface, key, answeredOn);
                }

                if (response.Ok)
                {
                    return response.Result is { } result ? result.Deserialize<TResult>(_wire.Options)! : default!;
                }

                if (!response.Rejected)
                {
                    throw RemoteExceptions.Rebuild(response.ErrorType!, response.ErrorMessage!,
                        [typeof(object).Assembly, typeof(GrainRuntimeException).Assembly, method.InterfaceMethod.DeclaringType!.Assembly]);
                }

                reason = response.ErrorMessage!;
            }
            catch (TransportException exception) when (exception.MayHaveBeenDelivered)
            {
                // It may have run: sending it through another gateway could run it twice.
                _locations.Forget(grainInterface, key, gateway.Address);
                _gateways.Suspect(gateway.Address, _options.GatewayRefreshInterval * 2);
                _ = RefreshQuietlyAsync();
                throw new SiloUnavailableException(
                    $"{method.Describe(key)} reached gateway {gateway.Address}, whose connection broke before it answered ({exception.Message}); it may or may not have run.");
            }
            catch (TransportException exception)
            {
                reason = exception.Message;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new GrainCallTimeoutException($"The call {method.Describe(key)} got no answer within {method.Timeout} through gateway {gateway.Address}.");
            }

            _logger.GatewayFailed(gateway.Address, reason);
            _locations.Forget(grainInterface, key, gateway.Address);
            _gateways.Suspect(gateway.Address, _options.GatewayRefreshInterval * 2);
            _ = RefreshQuietlyAsync();
            if (failed is not null)
            {
                throw new SiloUnavailableException($"{method.Describe(key)} failed through gateways {failed} and {gateway.Address}: {reason}");
            }

            failed = gateway.Address;
        }
    }

    private object GetGrain(Type grainInterface, string key)
    {
        var proxy = DispatchProxy.Create(grainInterface, typeof(ClientGrainProxy));
        ((ClientGrainProxy)proxy).Initialize(this, grainInterface, key);
        return proxy;
    }

    private async Task RefreshAsync(CancellationToken cancellationToken) => _gateways.Update(await _membership.ReadAliveAsync(cancellationToken));

    private async Task RefreshQuietlyAsync()
    {
        try
        {
            await RefreshAsync(_disposed.Token);
        }
        catch (Exception exception)
        {
            // Logged, not thrown: the refresh runs off a timer, and the list read last stays in use.
            if (!_disposed.IsCancellationRequested)
            {
                _logger.RefreshFailed(exception);
            }
        }
    }
}
