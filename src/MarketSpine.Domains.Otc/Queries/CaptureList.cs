using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Queries;

/// <summary>The answer of <c>GET /v1/captures</c>.</summary>
public sealed record CaptureList(IReadOnlyList<Capture> Captures);
