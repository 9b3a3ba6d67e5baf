namespace MarketSpine.Actors.Messaging;

/// <summary>What the receiving silo does with a call.</summary>
internal enum CallMode
{
    /// <summary>From another silo that found the grain here, or placed it here: run it on this silo's activation (creating it, or passing the call to the registered one).</summary>
    Execute,

    /// <summary>From a client, to its gateway: route it as if it had been made on this silo.</summary>
    Route,
}
