using System.CommandLine;
using MarketSpine.Cli.Output;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Queries;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary><c>spine captures list | diff | gc</c>: the publications held for each week.</summary>
public static class CapturesCommands
{
    public static Command Build(CliContext cli) =>
        new("captures", "Point-in-time captures: every publication of a week is kept.") { List(cli), Diff(cli), Gc(cli) };

    public static TableWriter<Capture> CaptureTable(string title) => new(title,
    [
        new("capture_id", c => c.CaptureId),
        new("week_ending", c => c.WeekEnding),
        new("tier", c => c.Tier.ToCode()),
        new("published", c => c.SourceUpdate),
        new("captured_at", c => c.CapturedAt),
        new("rows", c => c.RowCount, true),
        new("accepted", c => c.AcceptedCount, true),
        new("rejected", c => c.RejectedCount, true),
        new("state", c => c.SummarizedAt is not null ? "summarized" : c.NormalizedAt is not null ? "normalized" : "ingested"),
        new("week_from", c => c.WeekSource == WeekSource.Requested ? "request" : "publication"),
        new("source_file", c => Path.GetFileName(c.SourceFile)),
    ]);

    private static Command List(CliContext cli)
    {
        var o = new QueryOptions();
        var command = new Command("list", "List captures, newest week first.") { o.Week, o.Tier, o.Format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var captures = await services.GetRequiredService<IOtcQueries>().CapturesAsync(o.WeekOf(result), o.TierOf(result), CancellationToken.None);
            CaptureTable("Captures").Write(result.GetValue(o.Format), captures, cli.Console, cli.Output);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Diff(CliContext cli)
    {
        var from = new Argument<string>("from") { Description = "The older capture id." };
        var to = new Argument<string>("to") { Description = "The newer capture id." };
        var o = new QueryOptions();
        var command = new Command("diff", "What changed between two publications of one week.") { from, to, o.Top, o.Format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var diff = await services.GetRequiredService<IOtcQueries>().DiffAsync(result.GetValue(from)!, result.GetValue(to)!, CancellationToken.None);
            var top = o.TopOf(result);
            var writer = new TableWriter<VenueVolumeChange>($"Largest changes {diff.From.CaptureId} → {diff.To.CaptureId}",
            [
                new("symbol", c => c.Symbol),
                new("mpid", c => c.Mpid),
                new("change", c => c.Kind),
                new("shares_before", c => c.SharesBefore, true),
                new("shares_after", c => c.SharesAfter, true),
                new("shares_delta", c => c.SharesDelta, true),
                new("trades_before", c => c.TradesBefore, true),
                new("trades_after", c => c.TradesAfter, true),
            ]);
            var shown = diff.Changes.Take(top).ToList();
            var format = result.GetValue(o.Format);
            if (format == OutputFormat.Table)
            {
                cli.Console.MarkupLine(Markup.Escape(
                    $"{diff.From.CaptureId} → {diff.To.CaptureId}: {diff.Added:N0} added, {diff.Removed:N0} removed, {diff.Changed:N0} changed, {diff.Unchanged:N0} unchanged; shares {diff.SharesDelta:+#,0;-#,0;0}, trades {diff.TradesDelta:+#,0;-#,0;0}"));
            }

            writer.Write(format, shown, cli.Console, cli.Output, new
            {
                from = diff.From.CaptureId,
                to = diff.To.CaptureId,
                added = diff.Added,
                removed = diff.Removed,
                changed = diff.Changed,
                unchanged = diff.Unchanged,
                shares_delta = diff.SharesDelta,
                trades_delta = diff.TradesDelta,
                changes = shown.Select(writer.ToDictionary),
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Gc(CliContext cli)
    {
        var keep = new Option<int>("--keep") { Description = "Publications to keep per week and tier (newest first).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be deleted; delete nothing." };
        var o = new QueryOptions();
        var command = new Command("gc", "Delete old publications beyond the newest --keep of each week and tier.") { keep, dryRun, o.Week, o.Tier, o.Format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var plan = await services.GetRequiredService<OtcQueryService>().GcAsync(result.GetValue(keep), result.GetValue(dryRun), o.WeekOf(result), o.TierOf(result), CancellationToken.None);
            var format = result.GetValue(o.Format);
            var title = plan.Executed ? $"Deleted {plan.Delete.Count} capture(s)" : $"Would delete {plan.Delete.Count} capture(s) (dry run)";
            if (format == OutputFormat.Table && plan.Delete.Count == 0)
            {
                cli.Console.MarkupLine($"Nothing to delete: {plan.Keep.Count} capture(s) kept.");
                return ExitCodes.Ok;
            }

            var writer = CaptureTable(title);
            writer.Write(format, plan.Delete, cli.Console, cli.Output, new
            {
                executed = plan.Executed,
                deleted = plan.Delete.Select(writer.ToDictionary),
                kept = plan.Keep.Select(c => c.CaptureId),
            });
            return ExitCodes.Ok;
        }, localOnly: "spine captures gc"));
        return command;
    }
}
