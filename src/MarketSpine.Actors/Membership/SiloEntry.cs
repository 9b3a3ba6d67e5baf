using System.Net;
using MarketSpine.Actors.Directory;

namespace MarketSpine.Actors.Membership;

/// <summary>
/// One row of the membership table: a silo incarnation, where it accepts calls, its status, its last
/// heartbeat (written with its own clock) and how many activations it reported then.
/// </summary>
public sealed record SiloEntry(
    SiloAddress Address,
    IPEndPoint Endpoint,
    SiloStatus Status,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset StartedAt,
    int ActivationCount);
