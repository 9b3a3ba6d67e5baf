namespace MarketSpine.Actors.Runtime;

/// <summary>
/// One unit of work for an activation: a grain call or a timer tick. The activation's mailbox
/// decides when it may start (turn-based concurrency) and the timeout sweep fails it when its
/// deadline passes.
/// </summary>
internal abstract class Message(CallLink? parent, long sentAt, long deadline) : CallLink
{
    // Sequence numbers are handed out only to messages whose chain leaves the silo, so local calls
    // never touch this shared counter.
    private static long s_lastSequence;

    private CallLink? _parent = parent;
    private long _exportedSequence;

    /// <summary>The request during which this message was sent; cut when this message finishes.</summary>
    public override CallLink? Parent => _parent;

    /// <summary>This message's number in its process once its chain has been sent to another silo; 0 before.</summary>
    public long ExportedSequence => Volatile.Read(ref _exportedSequence);

    /// <summary>Whether the silo refused the message without running it (stopping, or fenced off the cluster).</summary>
    public bool Rejected { get; private set; }

    /// <summary>The activation that accepted the message.</summary>
    public Activation? Target { get; set; }

    /// <summary>When it was sent (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public long SentAt { get; } = sentAt;

    /// <summary>When the caller stops waiting (a timestamp); <see cref="long.MaxValue"/> for never.</summary>
    public long Deadline { get; } = deadline;

    /// <summary>When the activation started running it, or 0 while it waits.</summary>
    public long StartedAt { get; set; }

    public abstract bool IsReadOnly { get; }

    public abstract bool AlwaysInterleave { get; }

    /// <summary>Whether running it postpones idle collection (timer ticks may not).</summary>
    public abstract bool KeepsAlive { get; }

    /// <summary>
    /// Whether a message that reached a deactivating activation goes on to the grain's next
    /// activation: calls do; timer ticks belong to the activation that is going away and are dropped.
    /// </summary>
    public virtual bool FollowsGrain => true;

    /// <summary>Whether the caller has its answer (a result, an error or a timeout).</summary>
    public abstract bool IsCompleted { get; }

    /// <summary>Runs on the target's scheduler; ends with <see cref="Activation.OnCompleted"/>.</summary>
    public abstract void Start();

    /// <summary>Answers the caller with an error unless it already has an answer.</summary>
    public abstract bool TryFail(Exception exception);

    /// <summary>Called by the runtime when the call's deadline passes without an answer.</summary>
    public abstract void Expire(string detail);

    /// <summary>Answers with <paramref name="exception"/>, recording that the message never ran here, so a remote caller may send it elsewhere.</summary>
    public bool Reject(Exception exception)
    {
        Rejected = true;
        return TryFail(exception);
    }

    public override Message? RunningIn(Activation activation, List<Message> running) =>
        Target == activation && running.Contains(this) ? this : null;

    public override RemoteCallLink? Export()
    {
        if (Target is not { } activation)
        {
            return null;
        }

        if (Volatile.Read(ref _exportedSequence) == 0)
        {
            Interlocked.CompareExchange(ref _exportedSequence, Interlocked.Increment(ref s_lastSequence), 0);
        }

        return new RemoteCallLink(activation.Address.ActivationId, _exportedSequence, Describe(), _parent);
    }

    /// <summary>
    /// Called once the message has left its activation's running set. Nothing upstream waits on
    /// this message's children through it any more, so the chain is cut here; that also keeps a
    /// long line of fire-and-forget calls from holding every ancestor in memory.
    /// </summary>
    public void Finish() => _parent = null;
}
