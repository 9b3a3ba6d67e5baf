using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Grains.Tests.Pipelines;

[Pipeline("test.fail", Description = "Fails with the error code it is given.")]
[Parameter("code", ParameterType.String, Required = true, Description = "The error code to fail with.")]
public sealed class FailPipeline(PipelineProbe probe) : Pipeline
{
    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        probe.CountAttempt(context.ExecutionId);
        var code = context.Parameters.GetString("code");
        throw new LoadError(code, $"Failed on purpose with {code}.");
    }
}
