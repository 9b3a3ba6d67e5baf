using System.Reflection;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Messaging;
using MarketSpine.Actors.Placement;
using MarketSpine.Actors.Transport;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// Takes every call to where its grain's one activation is. In single-node mode that is always this
/// silo's catalog. In a cluster, in order: an activation in this silo; the cached location of a
/// remote one; for a grain placed locally (the default), a new activation here, whose registration in
/// the directory decides whether it runs or hands its calls to the silo that won; otherwise the
/// directory, then placement. A remote call that surely did not run (the silo could not be reached,
/// or refused it without running it) is sent once more through the directory when the directory no
/// longer names that silo (it was declared dead, its rows deleted) or names another; otherwise it
/// fails with <see cref="SiloUnavailableException"/>. A call whose connection broke after it was sent
/// fails the same way, never retried: it may have run, and running it twice is worse than an error
/// the caller can act on (as in Orleans, at most once).
/// Every remote step is bounded by the call's deadline.
/// </summary>
internal sealed class CallRouter(SiloRuntime runtime)
{
    // A call passed on more than this many times is chasing a registration that keeps moving.
    private const int MaxForwards = 2;

    /// <summary>Delivers a call made on this silo; returns the local activation that took it, if one did.</summary>
    public Activation? Deliver(GrainClass grainClass, Grains.GrainId id, Message message)
    {
        var cluster = runtime.Cluster;
        if (cluster is null || message is not GrainCall call)
        {
            return runtime.Catalog.Deliver(grainClass, id, message);
        }

        if (runtime.Catalog.TryDeliverToExisting(id, message) is { } local)
        {
            return local;
        }

        if (cluster.IsFenced)
        {
            Reject(call);
            return null;
        }

        if (cluster.Cache.TryGet(id, out var cached))
        {
            if (cached.Silo != runtime.Address && cluster.Membership.View.IsAlive(cached.Silo))
            {
                runtime.Metrics.RecordDirectoryLookup(hit: true);
                Detach(call, token => SendAsync(grainClass, call, cached.Silo, retried: false, token));
                return null;
            }

            cluster.Cache.Remove(id);
        }

        runtime.Metrics.RecordDirectoryLookup(hit: false);
        if (grainClass.Placement == PlacementStrategy.PreferLocal && cluster.CanHostHere)
        {
            // No directory read first: the activation's registration is the read, and a loser forwards.
            return runtime.Catalog.Deliver(grainClass, id, message);
        }

        Detach(call, token => RouteAsync(grainClass, call, exclude: null, retried: false, token));
        return null;
    }

    /// <summary>
    /// Delivers a call from another process: a silo's call to run here (<see cref="CallMode.Execute"/>), or a
    /// client's call to route as if made here. A stopping silo passes calls to run here on to where the
    /// grain goes next; a fenced one refuses them.
    /// </summary>
    public void DeliverIncoming(GrainClass grainClass, GrainCall call, CallMode mode)
    {
        var cluster = runtime.Cluster!;
        if (mode == CallMode.Route)
        {
            Deliver(grainClass, call.Grain, call);
            return;
        }

        if (runtime.Catalog.TryDeliverToExisting(call.Grain, call) is not null)
        {
            return;
        }

        if (cluster.IsFenced)
        {
            Reject(call);
        }
        else if (runtime.Catalog.IsOpen)
        {
            runtime.Catalog.Deliver(grainClass, call.Grain, call);
        }
        else if (PassOn(call, "this silo is stopping"))
        {
            Detach(call, token => RouteAsync(grainClass, call, exclude: runtime.Address, retried: false, token));
        }
    }

    /// <summary>Sends a call that waited for an activation which lost the registration to the activation that won.</summary>
    public void Forward(Message message, GrainAddress winner)
    {
        if (message.IsCompleted || message is not GrainCall call || !PassOn(call, $"its registration moved to {winner.Silo}"))
        {
            return;
        }

        var cluster = runtime.Cluster!;
        if (winner.Silo == runtime.Address)
        {
            call.TryFail(new GrainActivationException($"{call.Grain} is registered to another activation of this silo ({winner.ActivationId})."));
            return;
        }

        cluster.Cache.Put(winner);
        Detach(call, token => SendAsync(call.Method.Class, call, winner.Silo, retried: false, token));
    }

    /// <summary>
    /// Counts a hop of a call that a silo passes on instead of running (its activation lost the
    /// registration, or the silo is stopping); false, with the call failed, past <see cref="MaxForwards"/>,
    /// so that silos whose views of the cluster disagree for a moment cannot pass a call around.
    /// </summary>
    private static bool PassOn(GrainCall call, string why)
    {
        if (++call.Forwards <= MaxForwards)
        {
            return true;
        }

        call.TryFail(new GrainActivationException($"{call.Describe()} was passed on {MaxForwards} times without running (last: {why})."));
        return false;
    }

    /// <summary>Finds the grain through the directory, or places it, and delivers the call there.</summary>
    private async Task RouteAsync(GrainClass grainClass, GrainCall call, Directory.SiloAddress? exclude, bool retried, CancellationToken cancellationToken)
    {
        var cluster = runtime.Cluster!;
        var address = await runtime.Directory.LookupAsync(call.Grain, cancellationToken);
        if (address is not null && address.Silo == runtime.Address)
        {
            if (runtime.Catalog.TryDeliverToExisting(call.Grain, call) is not null)
            {
                return;
            }

            // This silo's row, but no activation here: a leftover of a failed unregistration.
            await runtime.Directory.UnregisterAsync(address, cancellationToken);
            address = null;
        }

        if (address is not null)
        {
            if (address.Silo == exclude)
            {
                Unreachable(call, exclude, "still holds it in the directory");
                return;
            }

            cluster.Cache.Put(address);
            await SendAsync(grainClass, call, address.Silo, retried, cancellationToken);
            return;
        }

        var target = cluster.Placement.Choose(grainClass, exclude);
        if (target is null)
        {
            call.TryFail(new SiloUnavailableException($"No active silo can host {call.Grain}: the cluster has no other active member."));
        }
        else if (target == runtime.Address)
        {
            runtime.Catalog.Deliver(grainClass, call.Grain, call);
        }
        else
        {
            await SendAsync(grainClass, call, target, retried, cancellationToken);
        }
    }

    private async Task SendAsync(GrainClass grainClass, GrainCall call, Directory.SiloAddress target, bool retried, CancellationToken cancellationToken)
    {
        var cluster = runtime.Cluster!;
        var entry = cluster.Membership.View.Find(target);
        if (entry is null)
        {
            // A silo that joined after this silo's last read of the membership, or one that is dead.
            await cluster.Membership.RefreshAsync(cancellationToken);
            entry = cluster.Membership.View.Find(target);
        }

        if (entry is null)
        {
            await OnUndeliveredAsync(grainClass, call, target, "is not a live member of the cluster", retried, cancellationToken);
            return;
        }

        var remaining = runtime.Time.GetElapsedTime(runtime.Time.GetTimestamp(), call.Deadline);
        var header = new RequestHeader(CallMode.Execute, grainClass.TypeName, call.Grain.Key, call.Method.WireName, remaining, call.Forwards);
        var payload = cluster.Wire.EncodeRequest(header, call.Parent, call.Arguments, call.Method.ParameterTypes);
        byte[] answer;
        try
        {
            answer = await cluster.Transport.SendAsync(entry.Endpoint, payload, cancellationToken);
        }
        catch (TransportException exception) when (exception.MayHaveBeenDelivered)
        {
            // It may have run there: sending it again could run it twice. The caller decides.
            runtime.Cluster!.Cache.Remove(call.Grain);
            call.TryFail(new SiloUnavailableException(
                $"{call.Describe()} reached silo {target}, whose connection broke before it answered ({exception.Message}); it may or may not have run."));
            return;
        }
        catch (TransportException exception)
        {
            await OnUndeliveredAsync(grainClass, call, target, $"at {entry.Endpoint} could not be reached ({exception.Message})", retried, cancellationToken);
            return;
        }

        var response = WireCodec.DecodeResponse(answer);
        var answeredBy = response.AnsweredBy(call.Grain);
        if (answeredBy is not null && answeredBy.Silo != runtime.Address)
        {
            cluster.Cache.Put(answeredBy);
        }

        if (response.Ok)
        {
            call.TryAnswer(response.Result, cluster.Wire.Options, answeredBy);
        }
        else if (response.Rejected)
        {
            await OnUndeliveredAsync(grainClass, call, target, $"refused it without running it ({response.ErrorMessage})", retried, cancellationToken);
        }
        else
        {
            call.TryFail(RemoteExceptions.Rebuild(response.ErrorType!, response.ErrorMessage!, ExceptionAssemblies(call.Method)));
        }
    }

    /// <summary>
    /// The call did not get to run on <paramref name="target"/>. If the directory no longer places the
    /// grain there (the silo was declared dead and its rows deleted, or the grain moved), the call is
    /// sent once more through the directory, never to <paramref name="target"/>; otherwise the silo may
    /// still come back, or be declared dead soon, and the caller learns so at once.
    /// </summary>
    private async Task OnUndeliveredAsync(GrainClass grainClass, GrainCall call, Directory.SiloAddress target, string reason, bool retried, CancellationToken cancellationToken)
    {
        runtime.Cluster!.Cache.Remove(call.Grain);
        if (!retried)
        {
            var current = await runtime.Directory.LookupAsync(call.Grain, cancellationToken);
            if (current is null || current.Silo != target)
            {
                await RouteAsync(grainClass, call, exclude: target, retried: true, cancellationToken);
                return;
            }
        }

        Unreachable(call, target, reason);
    }

    private void Unreachable(GrainCall call, Directory.SiloAddress silo, string reason) =>
        call.TryFail(new SiloUnavailableException(
            $"{call.Describe()} could not be delivered: silo {silo} {reason}. If that silo is dead it is declared so within "
            + $"{runtime.Options.Cluster.DeathTimeout} of its last heartbeat, and {call.Grain} activates elsewhere on its next call."));

    private void Reject(GrainCall call) =>
        call.Reject(new SiloUnavailableException(
            $"Silo {runtime.Address} has lost its cluster membership and is stopping; {call.Grain} accepts no calls here."));

    /// <summary>
    /// Runs the remote part of a call. Its first steps (finding the silo, encoding the call, handing it
    /// to the transport) run on the caller's thread, which costs less than a hop through the thread
    /// pool, but outside the caller's turn: without the grain's synchronization context, so no await
    /// comes back to the grain's scheduler, and with continuations that do not carry the caller's
    /// execution context (the call chain travels in the request). It is bounded by the call's
    /// deadline plus two timeout sweeps: the remote silo's own timeout, which says what its activation
    /// was doing, comes within one sweep of the deadline and so answers first.
    /// </summary>
    private void Detach(GrainCall call, Func<CancellationToken, Task> work)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);

        // Already suppressed when this runs inside another call's first steps (an in-process transport
        // serves a request on the sender's thread), and suppressing twice throws.
        AsyncFlowControl? flow = ExecutionContext.IsFlowSuppressed() ? null : ExecutionContext.SuppressFlow();
        try
        {
            _ = RunBoundedAsync(call, work);
        }
        finally
        {
            flow?.Dispose();
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private async Task RunBoundedAsync(GrainCall call, Func<CancellationToken, Task> work)
    {
        var limit = call.Deadline + runtime.ToTimestampTicks(runtime.Options.CallTimeoutCheckInterval * 2);
        var deadline = runtime.Cluster!.Deadlines.TokenFor(limit);
        try
        {
            await work(deadline);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            call.Expire("It was on its way to, or running on, another silo, which did not answer in time.");
        }
        catch (Exception exception)
        {
            call.TryFail(exception);
        }
    }

    private static IEnumerable<Assembly> ExceptionAssemblies(GrainMethod method) =>
        [typeof(object).Assembly, typeof(GrainRuntimeException).Assembly, method.InterfaceMethod.DeclaringType!.Assembly, method.Class.ClassType.Assembly];
}
