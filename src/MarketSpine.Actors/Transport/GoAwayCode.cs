namespace MarketSpine.Actors.Transport;

/// <summary>Why a <see cref="FrameKind.GoAway"/> was sent, carried in its correlation id; the peer's log and close reason tell them apart.</summary>
internal enum GoAwayCode : long
{
    /// <summary>The sender's transport is shutting down.</summary>
    Shutdown = 0,

    /// <summary>
    /// Both sides dialed each other at once and the sender keeps the other connection: it closes this
    /// one once the calls already on it are answered.
    /// </summary>
    Duplicate = 1,
}
