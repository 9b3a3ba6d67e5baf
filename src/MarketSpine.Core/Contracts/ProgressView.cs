using MarketSpine.Core.Execution;

namespace MarketSpine.Core.Contracts;

/// <summary>A running execution's last progress report.</summary>
public sealed record ProgressView(string CurrentStep, long Completed, long? Total, double? Percent)
{
    public static ProgressView? From(ExecutionProgress? progress) =>
        progress is null ? null : new(progress.CurrentStep, progress.Completed, progress.Total, progress.Percent);
}

