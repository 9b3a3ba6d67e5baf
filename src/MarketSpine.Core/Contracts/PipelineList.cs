namespace MarketSpine.Core.Contracts;

/// <summary>The answer of <c>GET /v1/pipelines</c>.</summary>
public sealed record PipelineList(IReadOnlyList<PipelineView> Pipelines);
