using MarketSpine.Core.Pipelines;

namespace MarketSpine.Grains.Tests.Pipelines;

/// <summary>Tells the probe when it enters and leaves, so a test sees the order and any overlap per logical key.</summary>
[Pipeline("test.exclusive", Description = "Records entering and leaving for its key.")]
[Parameter("key", ParameterType.String, Required = true, Description = "The logical key it runs under.")]
[Parameter("ms", ParameterType.Integer, Default = "0", Description = "How long to stay inside, in milliseconds.")]
public sealed class ExclusivePipeline(PipelineProbe probe) : Pipeline
{
    public override async Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var key = context.Parameters.GetString("key");
        probe.Enter(key, context.ExecutionId);
        probe.Started(context.ExecutionId);
        try
        {
            // Always yields, so that a second execution of the key would have the time to overlap.
            var ms = context.Parameters.GetInteger("ms");
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, ms)), cancellationToken);
        }
        finally
        {
            probe.Exit(key, context.ExecutionId);
        }

        return new PipelineOutcome();
    }
}
