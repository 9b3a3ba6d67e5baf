namespace MarketSpine.Actors.Errors;

/// <summary>
/// The silo is not running (not started yet, or stopping) and accepts no calls, or the silo that
/// holds the grain cannot be reached and has not been declared dead yet (the grain moves once it is).
/// </summary>
public sealed class SiloUnavailableException : GrainRuntimeException
{
    public SiloUnavailableException()
    {
    }

    public SiloUnavailableException(string message)
        : base(message)
    {
    }

    public SiloUnavailableException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
