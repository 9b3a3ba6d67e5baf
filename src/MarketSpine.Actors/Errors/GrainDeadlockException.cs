namespace MarketSpine.Actors.Errors;

/// <summary>
/// A call would wait for a request that is itself waiting for this call: a cycle such as
/// A → B → A through a grain that is not reentrant. Detected when the call arrives, instead of
/// letting it hang until the timeout. The message lists the call chain.
/// </summary>
public sealed class GrainDeadlockException : GrainRuntimeException
{
    public GrainDeadlockException()
    {
    }

    public GrainDeadlockException(string message)
        : base(message)
    {
    }

    public GrainDeadlockException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
