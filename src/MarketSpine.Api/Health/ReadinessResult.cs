namespace MarketSpine.Api.Health;

/// <summary>The outcome of one readiness check.</summary>
public sealed record ReadinessResult(string Name, bool Ready, string Detail);
