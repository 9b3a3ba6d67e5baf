using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Cli.Tests.Pipelines;

/// <summary>Fails with SOURCE_UNREADABLE (a transient code) until its marker file exists; then completes.</summary>
[Pipeline(Name, Description = "Test: fails until a file exists.")]
[Parameter("marker", ParameterType.String, Required = true, Description = "The file whose existence makes the run succeed.")]
public sealed partial class FailPipeline : Pipeline
{
    public const string Name = "test.cli.fail";

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        var marker = context.Parameters.GetString("marker");
        if (!File.Exists(marker))
        {
            LogMissing(context.Logger, marker);
            throw new SourceError(ErrorCodes.SourceUnreadable, $"{marker} is not there yet.", marker);
        }

        var outcome = new PipelineOutcome();
        outcome.Outputs["marker"] = marker;
        return Task.FromResult(outcome);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "marker {Marker} missing")]
    private static partial void LogMissing(ILogger logger, string marker);
}
