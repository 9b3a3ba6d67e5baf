namespace MarketSpine.Actors.Errors;

/// <summary>
/// The grain could not be activated (its constructor, its state read or its
/// <c>OnActivateAsync</c> threw). The calls that waited for the activation fail with this error;
/// the next call tries to activate the grain again.
/// </summary>
public sealed class GrainActivationException : GrainRuntimeException
{
    public GrainActivationException()
    {
    }

    public GrainActivationException(string message)
        : base(message)
    {
    }

    public GrainActivationException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
