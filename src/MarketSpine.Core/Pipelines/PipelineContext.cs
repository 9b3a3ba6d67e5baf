using Microsoft.Extensions.Logging;

namespace MarketSpine.Core.Pipelines;

/// <summary>What a running pipeline knows about its execution, and how it reports back.</summary>
public sealed class PipelineContext(
    string executionId,
    string pipelineName,
    PipelineParameters parameters,
    ILogger logger,
    IProgress<PipelineProgress> progress,
    TimeProvider clock)
{
    public string ExecutionId { get; } = executionId;

    public string PipelineName { get; } = pipelineName;

    public PipelineParameters Parameters { get; } = parameters;

    /// <summary>A logger whose scope carries the execution id, so every line can be traced to its run.</summary>
    public ILogger Logger { get; } = logger;

    public TimeProvider Clock { get; } = clock;

    public void ReportProgress(string step, long completed, long? total) =>
        progress.Report(new PipelineProgress(step, completed, total));
}
