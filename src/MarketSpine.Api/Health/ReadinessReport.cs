namespace MarketSpine.Api.Health;

/// <summary>The answer of <c>GET /health/ready</c>: <c>ready</c> (200) or <c>not_ready</c> (503), with every check.</summary>
public sealed record ReadinessReport(string Status, IReadOnlyList<ReadinessResult> Checks);
