namespace MarketSpine.Actors.Messaging;

/// <summary>
/// What a call request says besides its arguments and call chain. <see cref="GrainType"/> is null
/// from clients, which know grain interfaces only; the receiving silo then finds the class by the
/// interface in <see cref="Method"/>. <see cref="Timeout"/> is the time the caller has left: clocks of
/// different processes are not compared.
/// </summary>
internal readonly record struct RequestHeader(CallMode Mode, string? GrainType, string Key, string Method, TimeSpan Timeout, int Forwards)
{
    /// <summary>The full name of the grain interface that declares <see cref="Method"/>.</summary>
    public string Interface => Method[..Method.IndexOf("::", StringComparison.Ordinal)];
}
