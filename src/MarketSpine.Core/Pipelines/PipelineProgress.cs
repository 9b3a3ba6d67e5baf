namespace MarketSpine.Core.Pipelines;

/// <summary>How far a run is: the current step, and units done out of a total when one is known.</summary>
public sealed record PipelineProgress(string CurrentStep, long Completed, long? Total)
{
    public double? Percent => Total is > 0 ? Math.Round(100.0 * Completed / Total.Value, 1) : null;
}
