namespace MarketSpine.Actors.Errors;

/// <summary>
/// A grain on another silo threw an exception whose type this process cannot recreate (it is not in
/// the base library, the runtime, or the grain's own assemblies, or it has no <c>(string, Exception)</c>
/// constructor). <see cref="RemoteType"/> names the original type; the message is the original message.
/// </summary>
public sealed class RemoteGrainException : GrainRuntimeException
{
    public RemoteGrainException()
    {
        RemoteType = typeof(Exception).FullName!;
    }

    public RemoteGrainException(string message)
        : base(message)
    {
        RemoteType = typeof(Exception).FullName!;
    }

    public RemoteGrainException(string message, Exception? inner)
        : base(message, inner)
    {
        RemoteType = typeof(Exception).FullName!;
    }

    public RemoteGrainException(string remoteType, string message)
        : base(message)
    {
        RemoteType = remoteType;
    }

    /// <summary>The full name of the exception type the grain threw.</summary>
    public string RemoteType { get; }

    public override string ToString() => $"{RemoteType} (on another silo): {Message}";
}
