namespace MarketSpine.Actors.Errors;

/// <summary>
/// A grain call got no answer within its timeout (the silo default, or the method's
/// <c>[ResponseTimeout]</c>). The message says what the target activation was busy with.
/// The call may still run later; the caller has stopped waiting for it.
/// </summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    public GrainCallTimeoutException()
    {
    }

    public GrainCallTimeoutException(string message)
        : base(message)
    {
    }

    public GrainCallTimeoutException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
