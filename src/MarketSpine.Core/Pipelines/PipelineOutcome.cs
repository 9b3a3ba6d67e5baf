using MarketSpine.Core.Quality;

namespace MarketSpine.Core.Pipelines;

/// <summary>What a successful run hands back to the runner to put in the result envelope.</summary>
public sealed class PipelineOutcome
{
    /// <summary>Counts and measures of the run (rows read, inserted, rejected, ...), by stable name.</summary>
    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    /// <summary>What the run produced, by name (a capture id, a file written), for people and follow-up steps.</summary>
    public Dictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

    public List<QualityResult> Quality { get; } = [];

    public long RejectCount { get; set; }

    /// <summary>Merges a stage's outcome into this one, prefixing its metrics with the stage name.</summary>
    public PipelineOutcome Include(string stage, PipelineOutcome inner)
    {
        foreach (var (name, value) in inner.Metrics)
        {
            Metrics[$"{stage}.{name}"] = value;
        }

        foreach (var (name, value) in inner.Outputs)
        {
            Outputs[name] = value;
        }

        Quality.AddRange(inner.Quality);
        RejectCount += inner.RejectCount;
        return this;
    }
}
