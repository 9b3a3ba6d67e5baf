using System.CommandLine;
using MarketSpine.Cli.Output;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Queries;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary><c>spine query weeks | symbols | venues</c>: the OTC data as of a point in time.</summary>
public static class QueryCommands
{
    public static Command Build(CliContext cli)
    {
        return new Command("query", "Query FINRA OTC weeks, symbols and venues (latest capture unless --as-of).")
        {
            Weeks(cli), Symbols(cli), Venues(cli),
        };
    }

    private static Command Weeks(CliContext cli)
    {
        var o = new QueryOptions();
        var command = new Command("weeks", "List the weeks held, with the capture read and its totals.") { o.Tier, o.AsOf, o.Format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var weeks = await services.GetRequiredService<IOtcQueries>().WeeksAsync(o.TierOf(result), AsOf.Parse(result.GetValue(o.AsOf)), CancellationToken.None);
            new TableWriter<WeekOverview>($"Weeks (as of {AsOf.Parse(result.GetValue(o.AsOf))})",
            [
                new("week_ending", w => w.WeekEnding),
                new("tier", w => w.Tier.ToCode()),
                new("capture_id", w => w.CaptureId),
                new("published", w => w.SourceUpdate),
                new("captures", w => w.CaptureCount, true),
                new("total_shares", w => w.TotalShares, true),
                new("total_trades", w => w.TotalTrades, true),
                new("symbols", w => w.Symbols, true),
                new("venues", w => w.Venues, true),
            ]).Write(result.GetValue(o.Format), weeks, cli.Console, cli.Output);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Symbols(CliContext cli) => PageCommand(cli, "symbols", "Top symbols of a week by share volume.", "Top symbols",
        (queries, o, result) => queries.SymbolsAsync(o.WeekOf(result), o.TierOf(result), AsOf.Parse(result.GetValue(o.AsOf)), o.TopOf(result), o.OffsetOf(result), CancellationToken.None),
        SymbolTable);

    private static Command Venues(CliContext cli) => PageCommand(cli, "venues", "Venues of a week ranked by share volume, with market share.", "Top venues",
        (queries, o, result) => queries.VenuesAsync(o.WeekOf(result), o.TierOf(result), AsOf.Parse(result.GetValue(o.AsOf)), o.TopOf(result), o.OffsetOf(result), CancellationToken.None),
        VenueTable);

    /// <summary>A query of one capture's rows: the same options, output and JSON envelope for symbols and venues.</summary>
    private static Command PageCommand<T>(
        CliContext cli, string name, string description, string title,
        Func<IOtcQueries, QueryOptions, ParseResult, Task<CapturePage<T>>> query, Func<string, TableWriter<T>> table)
    {
        var o = new QueryOptions();
        var command = new Command(name, description) { o.Week, o.Tier, o.AsOf, o.Top, o.Offset, o.Format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var page = await query(services.GetRequiredService<IOtcQueries>(), o, result);
            var writer = table(Title(title, page.Capture, page.TotalRows));
            writer.Write(result.GetValue(o.Format), page.Rows, cli.Console, cli.Output, Envelope(page.Capture, page.TotalRows, page.Rows.Select(writer.ToDictionary)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static TableWriter<VenueShare> VenueTable(string title) => new(title,
    [
        new("rank", v => v.Rank, true),
        new("mpid", v => v.Mpid),
        new("venue_name", v => v.VenueName),
        new("total_shares", v => v.TotalShares, true),
        new("share_pct", v => v.SharePercent, true),
        new("total_trades", v => v.TotalTrades, true),
        new("symbols", v => v.SymbolCount, true),
        new("avg_trade_size", v => v.AverageTradeSize, true),
    ]);

    public static TableWriter<RankedSymbol> SymbolTable(string title) => new(title,
    [
        new("rank", s => s.Rank, true),
        new("symbol", s => s.Symbol),
        new("issue_name", s => s.IssueName),
        new("total_shares", s => s.TotalShares, true),
        new("total_trades", s => s.TotalTrades, true),
        new("venues", s => s.VenueCount, true),
        new("avg_trade_size", s => s.AverageTradeSize, true),
    ]);

    public static string Title(string what, Capture capture, long total) =>
        $"{what}: week ending {capture.WeekEnding:yyyy-MM-dd}, {capture.Tier.ToCode()}, capture {capture.CaptureId} ({total:N0} in all)";

    private static object Envelope(Capture capture, long total, IEnumerable<Dictionary<string, object?>> rows) => new
    {
        capture_id = capture.CaptureId,
        week_ending = capture.WeekEnding,
        tier = capture.Tier.ToCode(),
        source_update = capture.SourceUpdate,
        captured_at = capture.CapturedAt,
        total,
        rows,
    };
}
