using System.Globalization;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using Spectre.Console;

namespace MarketSpine.Cli.Output;

/// <summary>Prints one execution for people: status, attempts, timings, progress, outputs, metrics, quality, error.</summary>
public static class ExecutionPrinter
{
    public static void Print(IAnsiConsole console, ExecutionRecord record, string? deadLetterId = null)
    {
        var (color, mark) = record.Status switch
        {
            ExecutionStatus.Completed => ("green", "✓"),
            ExecutionStatus.Failed or ExecutionStatus.DeadLettered => ("red", "✗"),
            ExecutionStatus.Cancelled or ExecutionStatus.Cancelling => ("yellow", "■"),
            _ => ("blue", "…"),
        };
        console.MarkupLine($"[{color}]{mark} {Markup.Escape(record.Pipeline)} {record.Status.ToText()}[/]  [grey]{record.ExecutionId}[/]");

        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("created", Markup.Escape(Time(record.CreatedAt)));
        if (record.StartedAt is { } started)
        {
            facts.AddRow("started", Markup.Escape(Time(started)));
        }

        if (record.Duration is { } duration)
        {
            facts.AddRow("duration", string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:N0} ms"));
        }

        facts.AddRow("attempt", string.Create(CultureInfo.InvariantCulture, $"{record.Attempt} of {record.MaxAttempts}"));
        if (record.NextAttemptAt is { } next)
        {
            facts.AddRow("next attempt", Markup.Escape(Time(next)));
        }

        if (record.Lane != Lane.Normal)
        {
            facts.AddRow("lane", record.Lane.ToString().ToLowerInvariant());
        }

        if (record.TriggerSource != TriggerSource.Cli)
        {
            facts.AddRow("trigger", record.TriggerSource.ToString().ToLowerInvariant());
        }

        AddIfSet(facts, "logical key", record.LogicalKey);
        AddIfSet(facts, "idempotency key", record.IdempotencyKey);
        AddIfSet(facts, "retry of", record.RetryOf);
        AddIfSet(facts, "parent", record.ParentExecutionId);
        AddIfSet(facts, "dead letter", deadLetterId);
        if (record.Progress is { } progress && !record.IsTerminal)
        {
            facts.AddRow("progress", Markup.Escape(Describe(progress)));
        }

        foreach (var (name, value) in record.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            facts.AddRow($"param {Markup.Escape(name)}", Markup.Escape(value));
        }

        foreach (var (name, value) in record.Outputs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            facts.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        foreach (var (name, value) in record.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            facts.AddRow(Markup.Escape(name), value.ToString("#,0.##", CultureInfo.InvariantCulture));
        }

        if (record.RejectCount > 0)
        {
            facts.AddRow("rejects", record.RejectCount.ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Write(facts);
        foreach (var check in record.Quality)
        {
            var (checkColor, checkMark) = check.Passed ? ("green", "✓") : ("red", "✗");
            console.MarkupLine($"  [{checkColor}]{checkMark}[/] {Markup.Escape(check.Check)}: {Markup.Escape(check.Message)}");
        }

        if (record.Error is { } error)
        {
            console.MarkupLine($"  [red]{Markup.Escape(error.Code)}[/]: {Markup.Escape(error.Message)}");
        }
    }

    /// <summary>"ingest: 1,200 of 5,000 (24%)", or the step alone when it has no total.</summary>
    public static string Describe(ExecutionProgress progress) => progress.Total is { } total
        ? string.Create(CultureInfo.InvariantCulture, $"{progress.CurrentStep}: {progress.Completed:N0} of {total:N0}{(progress.Percent is { } percent ? $" ({percent:0.#}%)" : "")}")
        : string.Create(CultureInfo.InvariantCulture, $"{progress.CurrentStep}: {progress.Completed:N0}");

    public static string Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    private static void AddIfSet(Grid facts, string name, string? value)
    {
        if (value is not null)
        {
            facts.AddRow(name, Markup.Escape(value));
        }
    }
}
