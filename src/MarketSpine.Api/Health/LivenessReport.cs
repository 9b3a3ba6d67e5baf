namespace MarketSpine.Api.Health;

/// <summary>The answer of <c>GET /v1/health</c>: the process answers, its version and how long it has run.</summary>
public sealed record LivenessReport(string Status, string Version, double UptimeSeconds);
