using System.Collections.Concurrent;
using System.Diagnostics;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Grains.Benchmarks;

/// <summary>Does nothing but note when it started, so the benchmark measures the runtime alone.</summary>
[Pipeline(Name, Description = "Benchmark: does nothing.")]
public sealed class NoopPipeline : Pipeline
{
    public const string Name = "bench.noop";

    /// <summary>When each execution's pipeline began to run (a <see cref="Stopwatch"/> timestamp).</summary>
    public static ConcurrentDictionary<string, long> StartedAt { get; } = new(StringComparer.Ordinal);

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        StartedAt[context.ExecutionId] = Stopwatch.GetTimestamp();
        return Task.FromResult(new PipelineOutcome());
    }
}
