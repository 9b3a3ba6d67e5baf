namespace MarketSpine.Core.Pipelines;

/// <summary>
/// A named unit of work. Subclasses are marked with <see cref="PipelineAttribute"/> and
/// <see cref="ParameterAttribute"/>, take their dependencies in the constructor, and must be
/// idempotent: running twice with the same parameters leaves the store as running once does.
/// </summary>
public abstract class Pipeline
{
    /// <summary>Does the work. Expected failures throw a <see cref="Errors.SpineError"/>; the runner records them.</summary>
    public abstract Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken);
}
