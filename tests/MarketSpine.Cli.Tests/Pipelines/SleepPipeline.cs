using MarketSpine.Core.Pipelines;

namespace MarketSpine.Cli.Tests.Pipelines;

/// <summary>Sleeps, honouring cancellation.</summary>
[Pipeline(Name, Description = "Test: sleeps until done or cancelled.")]
[Parameter("seconds", ParameterType.Integer, Default = "60", Description = "How long.")]
public sealed class SleepPipeline : Pipeline
{
    public const string Name = "test.cli.sleep";

    public override async Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        context.ReportProgress("sleeping", 0, null);
        await Task.Delay(TimeSpan.FromSeconds(context.Parameters.GetInteger("seconds")), cancellationToken);
        return new PipelineOutcome();
    }
}
