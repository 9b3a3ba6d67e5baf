namespace MarketSpine.Actors.Errors;

/// <summary>
/// A state write or clear carried an ETag that is no longer the stored one: another activation
/// (a zombie, or a second silo) wrote in between. The runtime deactivates the activation that got
/// this error, so the next call reads the stored state afresh.
/// </summary>
public sealed class InconsistentStateException : GrainRuntimeException
{
    public InconsistentStateException()
    {
    }

    public InconsistentStateException(string message)
        : base(message)
    {
    }

    public InconsistentStateException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
