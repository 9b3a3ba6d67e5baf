namespace MarketSpine.Actors.Runtime;

/// <summary>The life of an activation, in order.</summary>
internal enum ActivationState
{
    /// <summary>In the catalog; the first message starts the activation.</summary>
    Created,

    /// <summary>Registering, constructing, reading state, running <c>OnActivateAsync</c>; messages wait.</summary>
    Activating,

    /// <summary>Processing messages.</summary>
    Valid,

    /// <summary>Running <c>OnDeactivateAsync</c>; messages are held and re-sent to the next activation.</summary>
    Deactivating,

    /// <summary>Gone from the catalog; a message that finds it is sent again.</summary>
    Invalid,
}
