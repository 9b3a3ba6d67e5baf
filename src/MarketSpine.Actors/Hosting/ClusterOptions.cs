using System.Net;

namespace MarketSpine.Actors.Hosting;

/// <summary>
/// How a silo takes part in a cluster (used once clustering is configured). The defaults bring a dead
/// silo's grains back elsewhere within about 7 s: silence of <see cref="DeathTimeout"/> (5 s), noticed at
/// a peer's next check (≤ 1 s), the directory rows freed in the same statement, and the grain activated
/// again on its next call. Orleans' defaults take about 90 s; 5 s is still five missed heartbeats, so a
/// garbage collection or a slow database second does not get a healthy silo killed.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Where the transport listens (Kubernetes: 0.0.0.0 and the container port).</summary>
    public IPEndPoint ListenEndpoint { get; set; } = new(IPAddress.Any, 11111);

    /// <summary>
    /// Where other silos and clients reach this silo (Kubernetes: the pod IP and the port). When null,
    /// the transport's bound endpoint is used, which must then be a specific address.
    /// </summary>
    public IPEndPoint? AdvertisedEndpoint { get; set; }

    /// <summary>How often the silo renews its heartbeat, reads the membership and checks its peers.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A silo whose heartbeat is older than this is declared dead by any peer; a silo that could not
    /// renew its own for this long stops its activations and itself.
    /// </summary>
    public TimeSpan DeathTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long rows of dead silos stay in the membership table for inspection (Orleans: 7 days).</summary>
    public TimeSpan DeadSiloRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many remote grain locations the silo remembers; past this the cache starts over.</summary>
    public int DirectoryCacheSize { get; set; } = 100_000;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(ListenEndpoint, "Cluster.ListenEndpoint");
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("Cluster.HeartbeatInterval", HeartbeatInterval, "Cluster.HeartbeatInterval must be positive.");
        }

        if (DeathTimeout < HeartbeatInterval * 2)
        {
            throw new ArgumentOutOfRangeException("Cluster.DeathTimeout", DeathTimeout,
                "Cluster.DeathTimeout must be at least two heartbeat intervals: one late heartbeat must not get a silo declared dead.");
        }

        if (DeadSiloRetention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("Cluster.DeadSiloRetention", DeadSiloRetention, "Cluster.DeadSiloRetention must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(DirectoryCacheSize, 1, "Cluster.DirectoryCacheSize");
    }
}
