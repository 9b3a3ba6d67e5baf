using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Grains.Tests.Pipelines;

/// <summary>Fails its first attempts with a transient error, then succeeds; retried by its own policy.</summary>
[Pipeline("test.flaky", Description = "Fails its first attempts with a transient code.")]
[Parameter("failures", ParameterType.Integer, Required = true, Description = "How many attempts fail before one succeeds.")]
[Retry(3, InitialBackoffSeconds = 0.2, MaxBackoffSeconds = 0.5)]
public sealed class FlakyPipeline(PipelineProbe probe) : Pipeline
{
    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var attempt = probe.CountAttempt(context.ExecutionId);
        if (attempt <= context.Parameters.GetInteger("failures"))
        {
            throw new LoadError(ErrorCodes.LoadFailed, $"Attempt {attempt} failed on purpose.");
        }

        var outcome = new PipelineOutcome();
        outcome.Metrics["attempt"] = attempt;
        return Task.FromResult(outcome);
    }
}
