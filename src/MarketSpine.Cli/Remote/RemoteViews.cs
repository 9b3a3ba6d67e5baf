using MarketSpine.Core.Contracts;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Cli.Remote;

/// <summary>The API's views turned back into the command layer's records, which the CLI's printers take.</summary>
public static class RemoteViews
{
    public static ExecutionRecord ToRecord(this ExecutionView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new ExecutionRecord(
            view.ExecutionId, view.Pipeline, view.Params, ExecutionStatusText.Parse(view.Status), Enum.Parse<Lane>(view.Lane, ignoreCase: true),
            Enum.Parse<TriggerSource>(view.TriggerSource, ignoreCase: true), view.LogicalKey, view.IdempotencyKey, view.CreatedAt, view.StartedAt, view.CompletedAt,
            view.Metrics, view.Outputs, view.Quality, view.RejectCount, view.Error)
        {
            Attempt = view.Attempt,
            MaxAttempts = view.MaxAttempts,
            ParentExecutionId = view.ParentExecutionId,
            RetryOf = view.RetryOf,
            QueuedAt = view.QueuedAt,
            NextAttemptAt = view.NextAttemptAt,
            Progress = view.Progress is { } progress ? new ExecutionProgress(progress.CurrentStep, progress.Completed, progress.Total) : null,
        };
    }

    public static ExecutionEvent ToEvent(this EventView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new ExecutionEvent(view.ExecutionId, view.Seq, view.Type, view.At, view.Attempt, view.Data);
    }

    public static ExecutionLogLine ToLine(this LogLineView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new ExecutionLogLine(view.ExecutionId, view.Seq, view.At, view.Attempt, view.Level, view.Message);
    }

    public static DeadLetter ToDeadLetter(this DeadLetterView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new DeadLetter(view.DeadLetterId, view.ExecutionId, view.Pipeline, view.Params, Enum.Parse<Lane>(view.Lane, ignoreCase: true), view.LogicalKey,
            view.Attempts, view.Error, view.DeadLetteredAt, Enum.Parse<DeadLetterStatus>(view.Status, ignoreCase: true), view.RetriedAs, view.ResolvedAt);
    }
}
