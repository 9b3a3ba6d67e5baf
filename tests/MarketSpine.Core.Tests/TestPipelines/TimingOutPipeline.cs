using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Tests.TestPipelines;

/// <summary>Fails with a cancellation that is its own (an HTTP client's timeout, say), not the caller's.</summary>
[Pipeline(Name, Description = "An inner operation times out.")]
public sealed class TimingOutPipeline : Pipeline
{
    public const string Name = "test.beta.timing_out";

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken) =>
        throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.");
}
