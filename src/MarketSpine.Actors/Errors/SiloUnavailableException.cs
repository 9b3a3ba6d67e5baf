namespace MarketSpine.Actors.Errors;

/// <summary>The silo is not running (not started yet, or stopping): it accepts no calls.</summary>
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
