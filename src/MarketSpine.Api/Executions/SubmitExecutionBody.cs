using System.Text.Json;

namespace MarketSpine.Api.Executions;

/// <summary>
/// The body of <c>POST /v1/executions</c>. Only <see cref="Pipeline"/> is required. Parameter values
/// may be JSON strings, numbers or booleans; the pipeline's spec decides what they must be.
/// </summary>
/// <param name="Pipeline">The pipeline to run (<c>GET /v1/pipelines</c>).</param>
/// <param name="Params">Its parameters by name.</param>
/// <param name="Lane">The worker lane: normal (default), backfill or slow.</param>
/// <param name="LogicalKey">At most one execution per logical key runs at a time.</param>
/// <param name="KeyPolicy">When the key is held: queue (default), skip or reject (409 LOGICAL_KEY_HELD).</param>
/// <param name="IdempotencyKey">Run at most once per key; the Idempotency-Key header does the same.</param>
/// <param name="MaxAttempts">Attempts before the dead letters (the pipeline's policy when omitted), 1 to 100.</param>
/// <param name="TimeoutSeconds">How long one attempt may run (the runtime's default, 6 h, when omitted).</param>
public sealed record SubmitExecutionBody(
    string? Pipeline,
    IReadOnlyDictionary<string, JsonElement>? Params = null,
    string? Lane = null,
    string? LogicalKey = null,
    string? KeyPolicy = null,
    string? IdempotencyKey = null,
    int? MaxAttempts = null,
    double? TimeoutSeconds = null);
