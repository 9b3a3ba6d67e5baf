using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Runtime;
using MarketSpine.Actors.Timers;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Grains;

/// <summary>
/// Base of every grain class. The runtime constructs grains (their constructors may take services
/// and <c>[PersistentState]</c> states), so a grain knows its key, logger and factory from its
/// constructor on. Requests run one turn at a time on the activation (see <see cref="ReentrantAttribute"/>).
/// </summary>
public abstract class Grain
{
    private readonly Activation _activation;

    protected Grain()
    {
        _activation = Activation.Constructing ?? throw new InvalidOperationException(
            $"{GetType()} is a grain: the runtime creates it on its first call. Get it with IGrainFactory.GetGrain<T>(key).");
    }

    /// <summary>The grain's identity (type name and key).</summary>
    public GrainId GrainId => _activation.Id;

    /// <summary>The grain's key, as passed to <c>GetGrain&lt;T&gt;(key)</c>.</summary>
    public string GrainKey => _activation.Id.Key;

    /// <summary>A reference to this grain through one of its interfaces, to hand to other grains.</summary>
    public TGrainInterface AsReference<TGrainInterface>()
        where TGrainInterface : IGrain => _activation.Runtime.GrainFactory.GetGrain<TGrainInterface>(_activation.Class, GrainKey);

    /// <summary>The silo this activation runs in, <c>name@generation</c> (Orleans' <c>RuntimeIdentity</c>).</summary>
    protected string RuntimeIdentity => _activation.Runtime.Address.ToString();

    /// <summary>A logger named after the grain class.</summary>
    protected ILogger Logger => _activation.Class.Logger;

    protected IGrainFactory GrainFactory => _activation.Runtime.GrainFactory;

    /// <summary>The silo's clock; grains should read time from it, never from <see cref="DateTimeOffset.UtcNow"/>.</summary>
    protected TimeProvider TimeProvider => _activation.Runtime.Time;

    /// <summary>Runs after the grain's persistent states are read, before its first request.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once the activation's last request has finished, before it leaves the silo.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation once its running requests finish; the next call activates it afresh.</summary>
    protected void DeactivateOnIdle() => _activation.RequestDeactivation(DeactivationReason.Requested);

    /// <summary>
    /// Starts a timer whose ticks run <paramref name="callback"/> as turns of this activation. The
    /// token is cancelled when the timer is disposed or the activation goes.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(options);
        return new GrainTimer(_activation, callback, options);
    }

    /// <summary>Registers (or replaces) a durable reminder; ticks arrive through <see cref="IRemindable.ReceiveReminder"/>.</summary>
    protected Task<GrainReminder> RegisterOrUpdateReminderAsync(
        string name, ReminderSchedule schedule, MissedTickPolicy? policy = null, CancellationToken cancellationToken = default) =>
        Reminders.RegisterOrUpdateAsync(GrainId, name, schedule, policy, cancellationToken);

    /// <summary>Removes a reminder; returns false when there was none.</summary>
    protected Task<bool> UnregisterReminderAsync(string name, CancellationToken cancellationToken = default) =>
        Reminders.UnregisterAsync(GrainId, name, cancellationToken);

    protected Task<GrainReminder?> GetReminderAsync(string name, CancellationToken cancellationToken = default) =>
        Reminders.GetAsync(GrainId, name, cancellationToken);

    protected Task<IReadOnlyList<GrainReminder>> GetRemindersAsync(CancellationToken cancellationToken = default) =>
        Reminders.GetAllAsync(GrainId, cancellationToken);

    private ReminderService Reminders => _activation.Runtime.Reminders
        ?? throw new InvalidOperationException("This silo has no reminders table: configure one with SiloBuilder.Use...Reminders().");
}
