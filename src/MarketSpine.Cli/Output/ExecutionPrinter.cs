using System.Globalization;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using Spectre.Console;

namespace MarketSpine.Cli.Output;

/// <summary>Prints one execution for people: status, timings, outputs, metrics, quality, error.</summary>
public static class ExecutionPrinter
{
    public static void Print(IAnsiConsole console, ExecutionRecord record)
    {
        var (color, mark) = record.Status switch
        {
            ExecutionStatus.Completed => ("green", "✓"),
            ExecutionStatus.Failed or ExecutionStatus.DeadLettered => ("red", "✗"),
            ExecutionStatus.Cancelled => ("yellow", "■"),
            _ => ("blue", "…"),
        };
        console.MarkupLine($"[{color}]{mark} {Markup.Escape(record.Pipeline)} {record.Status.ToText()}[/]  [grey]{record.ExecutionId}[/]");

        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("created", Markup.Escape(Time(record.CreatedAt)));
        if (record.Duration is { } duration)
        {
            facts.AddRow("duration", string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMilliseconds:N0} ms"));
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

    public static string Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";
}
