namespace MarketSpine.Actors.Directory;

/// <summary>
/// Records which activation is the grain's one activation. Registration is first-writer-wins:
/// a silo registers before it activates a grain and activates only if its own address comes back.
/// The local implementation serves one silo; the cluster's PostgreSQL directory (one row per grain,
/// <c>PRIMARY KEY (grain)</c>) implements the same contract across silos.
/// </summary>
public interface IGrainDirectory
{
    /// <summary>Registers <paramref name="address"/> unless the grain already has one; returns the registered address.</summary>
    ValueTask<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken);

    /// <summary>The grain's registered address, or null.</summary>
    ValueTask<GrainAddress?> LookupAsync(Grains.GrainId grain, CancellationToken cancellationToken);

    /// <summary>Removes the registration if it is still <paramref name="address"/> (never someone else's).</summary>
    ValueTask UnregisterAsync(GrainAddress address, CancellationToken cancellationToken);
}
