namespace MarketSpine.Api.Executions;

/// <summary>The optional body of <c>POST /v1/executions/{id}/cancel</c>.</summary>
public sealed record CancelBody(string? Reason);
