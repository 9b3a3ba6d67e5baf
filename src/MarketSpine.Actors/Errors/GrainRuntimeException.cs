namespace MarketSpine.Actors.Errors;

/// <summary>Base of the errors the runtime itself raises (as opposed to errors a grain's code throws).</summary>
public class GrainRuntimeException : Exception
{
    public GrainRuntimeException()
    {
    }

    public GrainRuntimeException(string message)
        : base(message)
    {
    }

    public GrainRuntimeException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
