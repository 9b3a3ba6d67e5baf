using System.Text.Json;

namespace MarketSpine.Actors.Client;

/// <summary>The settings of a <see cref="RemoteClusterClient"/>.</summary>
public sealed class ClusterClientOptions
{
    /// <summary>How long a call waits for its answer unless the method has a <c>[ResponseTimeout]</c> (Orleans: 30 s).</summary>
    public TimeSpan DefaultCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often calls past their timeout are looked for. A call that gets no answer fails after its
    /// timeout and within twice this interval of it; one sweep instead of a timer per call keeps a
    /// call's cost flat.
    /// </summary>
    public TimeSpan CallTimeoutCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many grains' silos the client remembers, to send their calls there directly; past this it starts over.</summary>
    public int LocationCacheSize { get; set; } = 100_000;

    /// <summary>
    /// How often the list of gateways (the active silos) is read from the membership table. A failed
    /// gateway also triggers a read, and is skipped for two of these intervals unless the membership
    /// drops it sooner.
    /// </summary>
    public TimeSpan GatewayRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How arguments and results are serialized; must match the silos' <c>SerializerOptions</c>.</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.General);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DefaultCallTimeout, TimeSpan.Zero, nameof(DefaultCallTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeoutCheckInterval, TimeSpan.Zero, nameof(CallTimeoutCheckInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(LocationCacheSize, 1, nameof(LocationCacheSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(GatewayRefreshInterval, TimeSpan.Zero, nameof(GatewayRefreshInterval));
        ArgumentNullException.ThrowIfNull(SerializerOptions);
    }
}
