namespace MarketSpine.Actors.Runtime;

/// <summary>
/// One step of a call chain: the request (or timer tick) during which a call was made. Deadlock
/// detection walks a new message's chain looking for a request that is running on the target
/// activation and waits for it. Locally the links are the messages themselves; a call that crossed
/// silos carries its chain with it, and each link from another silo is a <see cref="RemoteCallLink"/>.
/// </summary>
internal abstract class CallLink
{
    /// <summary>The request during which this one was sent, or null at the start of the chain.</summary>
    public abstract CallLink? Parent { get; }

    /// <summary>The method or timer, for error messages: <c>counter/a.Increment</c>.</summary>
    public abstract string Describe();

    /// <summary>The message this link stands for, if it is running on <paramref name="activation"/> now.</summary>
    public abstract Message? RunningIn(Activation activation, List<Message> running);

    /// <summary>How this link travels with a call to another silo; null when it is not on an activation.</summary>
    public abstract RemoteCallLink? Export();
}
