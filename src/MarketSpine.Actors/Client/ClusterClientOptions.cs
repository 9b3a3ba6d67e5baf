using System.Text.Json;

namespace MarketSpine.Actors.Client;

/// <summary>The settings of a <see cref="RemoteClusterClient"/>.</summary>
public sealed class ClusterClientOptions
{
    /// <summary>How long a call waits for its answer unless the method has a <c>[ResponseTimeout]</c> (Orleans: 30 s).</summary>
    public TimeSpan DefaultCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

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
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(GatewayRefreshInterval, TimeSpan.Zero, nameof(GatewayRefreshInterval));
        ArgumentNullException.ThrowIfNull(SerializerOptions);
    }
}
