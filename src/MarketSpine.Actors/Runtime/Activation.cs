using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// One live instance of a grain in this silo, with its mailbox. The mailbox decides which
/// messages may run now (turn-based concurrency): one request at a time unless the class is
/// <c>[Reentrant]</c>, the method is <c>[AlwaysInterleave]</c>, or every running request and the
/// new one are <c>[ReadOnly]</c>. A message that could only run after a request waiting for it
/// fails at once with <see cref="GrainDeadlockException"/>. Mailbox state is guarded by a lock held
/// only for bookkeeping, never while grain code runs, so the timeout sweep can always read it
/// even when a turn is stuck.
/// </summary>
internal sealed class Activation
{
    [ThreadStatic]
    private static Activation? t_constructing;

    private static readonly SendOrPostCallback StartMessage = static state => ((Message)state!).Start();
    private static readonly SendOrPostCallback Activate = static state => _ = ((Activation)state!).ActivateAsync();
    private static readonly SendOrPostCallback Deactivate = static state => _ = ((Activation)state!).DeactivateAsync();

    private readonly Lock _lock = new();
    private readonly Queue<Message> _waiting = new();
    private readonly List<Message> _running = new(1);
    private readonly List<IActivationComponent> _components = [];
    private readonly TaskCompletionSource _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<Message>? _held;
    private ActivationState _state = ActivationState.Created;
    private DeactivationReason? _pendingDeactivation;
    private long _lastActivity;

    public Activation(GrainClass grainClass, GrainId id)
    {
        Class = grainClass;
        Runtime = grainClass.Runtime;
        Id = id;
        Address = new GrainAddress(id, Runtime.Address, Guid.NewGuid());
        Scheduler = new ActivationScheduler(grainClass.Logger);
        _lastActivity = Runtime.Time.GetTimestamp();
    }

    /// <summary>The activation whose grain is being constructed on this thread (read by <see cref="Grain"/>'s constructor).</summary>
    public static Activation? Constructing => t_constructing;

    public GrainClass Class { get; }

    public SiloRuntime Runtime { get; }

    public GrainId Id { get; }

    public GrainAddress Address { get; }

    public ActivationScheduler Scheduler { get; }

    public Grain? Instance { get; private set; }

    /// <summary>Completes when the activation has left the catalog.</summary>
    public Task Gone => _gone.Task;

    /// <summary>Accepts a message, or returns false when the activation is gone and the caller must find a new one.</summary>
    public bool Enqueue(Message message)
    {
        GrainDeadlockException? deadlock = null;
        bool activate = false;
        lock (_lock)
        {
            switch (_state)
            {
                case ActivationState.Invalid:
                    return false;
                case ActivationState.Created:
                    _state = ActivationState.Activating;
                    activate = true;
                    message.Target = this;
                    _waiting.Enqueue(message);
                    break;
                case ActivationState.Activating:
                    message.Target = this;
                    _waiting.Enqueue(message);
                    break;
                case ActivationState.Deactivating:
                    message.Target = this;
                    (_held ??= []).Add(message);
                    break;
                default:
                    message.Target = this;
                    // FIFO: a message does not overtake waiting ones, unless it may interleave with anything.
                    if (_pendingDeactivation is null && (_waiting.Count == 0 || message.AlwaysInterleave) && CanStart(message, _running))
                    {
                        StartNoLock(message);
                    }
                    else if ((deadlock = FindDeadlockNoLock(message)) is null)
                    {
                        _waiting.Enqueue(message);
                    }

                    break;
            }
        }

        if (activate)
        {
            Scheduler.Post(Activate, this);
        }

        if (deadlock is not null && message.TryFail(deadlock))
        {
            Runtime.Metrics.RecordError("deadlock");
        }

        return true;
    }

    /// <summary>Called on this activation's scheduler when a message has finished running.</summary>
    public void OnCompleted(Message message)
    {
        bool deactivate;
        lock (_lock)
        {
            _running.Remove(message);
            if (message.KeepsAlive)
            {
                _lastActivity = Runtime.Time.GetTimestamp();
            }

            deactivate = ScheduleNoLock(startWhileDeactivationPending: false);
        }

        message.Finish();
        if (deactivate)
        {
            Scheduler.Post(Deactivate, this);
        }
    }

    /// <summary>Deactivates once the running requests have finished (<c>DeactivateOnIdle</c>, a stale ETag, shutdown).</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        bool deactivate = false;
        lock (_lock)
        {
            if (_state == ActivationState.Created)
            {
                _state = ActivationState.Invalid;
                Runtime.Catalog.Remove(this);
                _gone.TrySetResult();
                return;
            }

            if (_state is ActivationState.Activating or ActivationState.Valid)
            {
                _pendingDeactivation ??= reason;
                if (_state == ActivationState.Valid && _running.Count == 0)
                {
                    BeginDeactivationNoLock();
                    deactivate = true;
                }
            }
        }

        if (deactivate)
        {
            Scheduler.Post(Deactivate, this);
        }
    }

    /// <summary>Starts deactivation if nothing has run for <paramref name="age"/> timestamp ticks.</summary>
    public bool TryCollect(long now, long age)
    {
        lock (_lock)
        {
            if (_state != ActivationState.Valid || _running.Count > 0 || _waiting.Count > 0 || _pendingDeactivation is not null
                || now - _lastActivity < age)
            {
                return false;
            }

            _pendingDeactivation = DeactivationReason.Idle;
            BeginDeactivationNoLock();
        }

        Scheduler.Post(Deactivate, this);
        return true;
    }

    /// <summary>Fails, with a timeout that says what the activation was doing, every message whose deadline has passed.</summary>
    public void ExpireMessages(long now)
    {
        List<(Message Message, string Detail)>? expired = null;
        lock (_lock)
        {
            foreach (var message in _running)
            {
                if (message.Deadline <= now && !message.IsCompleted)
                {
                    (expired ??= []).Add((message, $"The grain was still running it ({Runtime.Time.GetElapsedTime(message.StartedAt, now)} so far)."));
                }
            }

            foreach (var message in _waiting)
            {
                if (message.Deadline <= now && !message.IsCompleted)
                {
                    var detail = _state == ActivationState.Activating
                        ? "It waited for the grain's activation (OnActivateAsync had not finished)."
                        : $"It waited behind {string.Join(", ", _running.Select(r => r.Describe()))}, which had not finished.";
                    (expired ??= []).Add((message, detail));
                }
            }

            foreach (var message in _held ?? [])
            {
                if (message.Deadline <= now && !message.IsCompleted)
                {
                    (expired ??= []).Add((message, "It waited for the previous activation's OnDeactivateAsync to finish."));
                }
            }
        }

        foreach (var (message, detail) in expired ?? [])
        {
            message.Expire(detail);
        }
    }

    public void AddComponent(IActivationComponent component)
    {
        lock (_lock)
        {
            _components.Add(component);
        }
    }

    public void RemoveComponent(IActivationComponent component)
    {
        lock (_lock)
        {
            _components.Remove(component);
        }
    }

    /// <summary>
    /// Whether <paramref name="message"/> may start next to <paramref name="running"/> (Orleans'
    /// interleaving rules). A running <c>[AlwaysInterleave]</c> request blocks nothing: it may wait
    /// (a long poll) while the grain's ordinary requests run turn by turn.
    /// </summary>
    private bool CanStart(Message message, List<Message> running)
    {
        if (Class.IsReentrant || message.AlwaysInterleave)
        {
            return true;
        }

        foreach (var other in running)
        {
            if (!other.AlwaysInterleave && !(message.IsReadOnly && other.IsReadOnly))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A message that cannot start waits for running requests to finish. If it could not start
    /// even when every running request except its own ancestors had finished, it waits for a
    /// request that waits for it: a deadlock, reported now rather than at the timeout.
    /// </summary>
    private GrainDeadlockException? FindDeadlockNoLock(Message message)
    {
        List<Message>? ancestorsHere = null;
        CallLink? outermost = null;
        for (var link = message.Parent; link is not null; link = link.Parent)
        {
            if (link.RunningIn(this, _running) is { } ancestor)
            {
                (ancestorsHere ??= []).Add(ancestor);
                outermost = link;
            }
        }

        if (ancestorsHere is null || CanStart(message, ancestorsHere))
        {
            return null;
        }

        var chain = new List<string> { message.Describe() };
        for (var link = message.Parent; link is not null; link = link.Parent)
        {
            chain.Add(link.Describe());
            if (link == outermost)
            {
                break;
            }
        }

        chain.Reverse();
        return new GrainDeadlockException(
            $"Deadlock: {string.Join(" → ", chain)}. {Id} is already running {ancestorsHere[^1].Describe()}, which waits for this call, "
            + $"and this call may not interleave with it: mark the grain class [Reentrant], or the method [AlwaysInterleave] "
            + "(or both methods [ReadOnly]), or break the cycle.");
    }

    private void StartNoLock(Message message)
    {
        message.StartedAt = Runtime.Time.GetTimestamp();
        _running.Add(message);
        Scheduler.Post(StartMessage, message);
    }

    /// <summary>Starts what may start; returns true when the activation should deactivate now.</summary>
    private bool ScheduleNoLock(bool startWhileDeactivationPending)
    {
        if (_state != ActivationState.Valid)
        {
            return false;
        }

        if (_pendingDeactivation is null || startWhileDeactivationPending)
        {
            while (_waiting.TryPeek(out var next))
            {
                if (next.IsCompleted)
                {
                    _waiting.Dequeue();
                    continue;
                }

                if (!CanStart(next, _running))
                {
                    break;
                }

                _waiting.Dequeue();
                StartNoLock(next);
            }
        }

        if (_pendingDeactivation is not null && _running.Count == 0)
        {
            BeginDeactivationNoLock();
            return true;
        }

        return false;
    }

    private void BeginDeactivationNoLock()
    {
        _state = ActivationState.Deactivating;
        while (_waiting.TryDequeue(out var message))
        {
            (_held ??= []).Add(message);
        }
    }

    private async Task ActivateAsync()
    {
        var stopping = Runtime.Stopping;
        try
        {
            var registered = await RegisterAsync(stopping);
            if (registered != Address)
            {
                if (Runtime.Cluster is null)
                {
                    throw new GrainActivationException(
                        $"{Id} is already active as {registered.ActivationId} on silo {registered.Silo}; this silo cannot forward to it.");
                }

                Forward(registered);
                return;
            }

            try
            {
                t_constructing = this;
                Instance = Class.CreateInstance(this);
            }
            finally
            {
                t_constructing = null;
            }

            foreach (var component in Components())
            {
                await component.OnActivateAsync(stopping);
            }

            await Instance.OnActivateAsync(stopping);
        }
        catch (Exception exception)
        {
            await FailActivationAsync(exception);
            return;
        }

        Runtime.Metrics.ActivationCreated(Class);
        bool deactivate;
        lock (_lock)
        {
            _state = ActivationState.Valid;
            deactivate = ScheduleNoLock(startWhileDeactivationPending: true);
        }

        if (deactivate)
        {
            Scheduler.Post(Deactivate, this);
        }
    }

    /// <summary>
    /// Registers this activation in the directory; returns the grain's registered activation. In a
    /// cluster, a row naming this silo but another activation is a leftover (an activation whose
    /// unregistration failed): the catalog holds this activation for the grain, so no other one of
    /// this silo can be live. It is removed, conditionally, and the registration tried again.
    /// </summary>
    private async Task<GrainAddress> RegisterAsync(CancellationToken cancellationToken)
    {
        var registered = await Runtime.Directory.RegisterAsync(Address, cancellationToken);
        if (registered != Address && registered.Silo == Runtime.Address && Runtime.Cluster is not null)
        {
            await Runtime.Directory.UnregisterAsync(registered, cancellationToken);
            registered = await Runtime.Directory.RegisterAsync(Address, cancellationToken);
        }

        return registered;
    }

    /// <summary>
    /// Another silo's activation won the registration: this one never starts (strict single
    /// activation), and the calls that waited for it go to the winner.
    /// </summary>
    private void Forward(GrainAddress winner)
    {
        List<Message> waiting;
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            waiting = [.. _waiting, .. _held ?? []];
            _waiting.Clear();
            _held = null;
        }

        Runtime.Catalog.Remove(this);
        _gone.TrySetResult();
        foreach (var message in waiting)
        {
            Runtime.Router.Forward(message, winner);
        }
    }

    private async Task FailActivationAsync(Exception exception)
    {
        Class.Logger.ActivationFailed(exception, Id);
        Runtime.Metrics.RecordError("activation_failed");
        List<Message> failed;
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            failed = [.. _waiting, .. _held ?? []];
            _waiting.Clear();
            _held = null;
        }

        Runtime.Catalog.Remove(this);
        await UnregisterAsync();
        DisposeComponents();
        var error = exception as GrainActivationException
                    ?? new GrainActivationException($"{Id} could not be activated: {exception.Message}", exception);
        foreach (var message in failed)
        {
            message.TryFail(error);
        }

        _gone.TrySetResult();
    }

    private async Task DeactivateAsync()
    {
        var reason = _pendingDeactivation ?? DeactivationReason.Idle;
        DisposeComponents();
        try
        {
            using var timeout = new CancellationTokenSource(Runtime.Options.DeactivationTimeout, Runtime.Time);
            await Instance!.OnDeactivateAsync(reason, timeout.Token);
        }
        catch (Exception exception)
        {
            Class.Logger.DeactivationFailed(exception, Id);
            Runtime.Metrics.RecordError("deactivation_failed");
        }

        await UnregisterAsync();
        Runtime.Catalog.Remove(this);
        List<Message>? held;
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            held = _held;
            _held = null;
        }

        Runtime.Metrics.ActivationRemoved(Class);
        Class.Logger.Deactivated(Id, reason);
        _gone.TrySetResult();

        // Messages that arrived while this activation was going away go to the next one, which the
        // catalog creates only now: there is never more than one activation of a grain in the silo.
        foreach (var message in held ?? [])
        {
            if (!message.IsCompleted && message.FollowsGrain)
            {
                Runtime.Router.Deliver(Class, Id, message);
            }
        }
    }

    private async Task UnregisterAsync()
    {
        try
        {
            await Runtime.Directory.UnregisterAsync(Address, CancellationToken.None);
        }
        catch (Exception exception)
        {
            Class.Logger.UnregisterFailed(exception, Id);
        }
    }

    private IActivationComponent[] Components()
    {
        lock (_lock)
        {
            return [.. _components];
        }
    }

    private void DisposeComponents()
    {
        foreach (var component in Components())
        {
            component.OnDeactivate();
        }
    }
}
