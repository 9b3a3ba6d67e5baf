namespace MarketSpine.Actors.Membership;

/// <summary>A silo's place in the cluster, as the membership table records it. It only moves forward.</summary>
public enum SiloStatus
{
    /// <summary>Registered and starting; not yet a placement target or gateway.</summary>
    Joining,

    /// <summary>Accepting calls, new activations and client calls.</summary>
    Active,

    /// <summary>Stopping cleanly: deactivating its grains, which move elsewhere on their next call.</summary>
    ShuttingDown,

    /// <summary>Gone: left cleanly, declared dead by a peer, or replaced by a newer generation of itself.</summary>
    Dead,
}
