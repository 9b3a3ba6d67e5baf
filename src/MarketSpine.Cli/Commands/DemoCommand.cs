using MarketSpine.Grains.Embedded;
using System.CommandLine;
using MarketSpine.Cli.Hosting;
using MarketSpine.Cli.Output;
using MarketSpine.Core.Execution;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Pipelines;
using MarketSpine.Domains.Otc.Queries;
using MarketSpine.Domains.Otc.Synthetic;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary>
/// <c>spine demo</c>: the first thing a newcomer runs. Migrates the embedded store, runs the OTC
/// flow (ingest, normalize, summarize) on a week, and prints its top venues and symbols. With no
/// file it generates a synthetic week in FINRA's format (clearly named synthetic_*); with
/// <c>--file</c> it runs on a real FINRA download.
/// </summary>
public static class DemoCommand
{
    // A regular Monday publication, so the week is derived the way FINRA's calendar says:
    // OTC tier, published 2025-12-15, covers the week ending 2025-11-14.
    private static readonly DateOnly SyntheticPublication = new(2025, 12, 15);

    public static Command Build(CliContext cli)
    {
        var file = new Option<string?>("--file") { Description = "A FINRA OTC weekly file to run on instead of a synthetic week." };
        var tier = new Option<string?>("--tier") { Description = "The file's tier (NMS_TIER_1, NMS_TIER_2, OTC); OTC when omitted." };
        var week = new Option<DateOnly?>("--week-ending") { Description = "The file's week, when it is a re-publication." };
        var rows = new Option<int>("--rows") { Description = "Rows of the synthetic week.", DefaultValueFactory = _ => 50_000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic week (same seed, same file).", DefaultValueFactory = _ => 42 };
        var top = new Option<int>("--top", "-n") { Description = "Venues and symbols to show.", DefaultValueFactory = _ => 10 };
        var command = new Command("demo", "Run the FINRA OTC flow on a week and show its top venues and symbols.") { file, tier, week, rows, seed, top };
        command.SetAction((result, cancellationToken) =>
        {
            // A synthetic week goes to its own database (data/demo.db) unless --database says
            // otherwise: it would otherwise occupy a real week's slot and conflict with the real file.
            var options = GlobalOptions.From(result);
            var synthetic = result.GetValue(file) is null;
            if (synthetic && options.Database is null)
            {
                options = options with { Database = Path.Combine(cli.LoadSettings(null).DataDir, "demo.db") };
            }

            return cli.RunWithSiloAsync(options, SiloRole.Runner, "spine demo", session => RunAsync(cli, session, result, synthetic, cancellationToken), cancellationToken, localOnly: "spine demo");
        });
        return command;

        async Task<int> RunAsync(CliContext cli, SiloSession session, ParseResult result, bool synthetic, CancellationToken cancellationToken)
        {
            var services = session.Services;
            var settings = services.GetRequiredService<SpineSettings>();
            var tierCode = result.GetValue(tier) ?? "OTC";
            var path = result.GetValue(file);
            if (synthetic)
            {
                var rowCount = result.GetValue(rows);
                if (rowCount is < 100 or > 5_000_000)
                {
                    throw new Core.Errors.ValidationError(new Core.Errors.ValidationProblem("--rows", "OUT_OF_RANGE", $"--rows must be between 100 and 5000000 (got {rowCount})."));
                }

                if (!OtcTiers.TryParse(tierCode, out var syntheticTier))
                {
                    throw new Core.Errors.ValidationError(new Core.Errors.ValidationProblem("--tier", "NOT_ALLOWED", $"--tier '{tierCode}' is not one of {string.Join(", ", OtcTiers.Codes)}."));
                }

                var week = SyntheticWeekGenerator.Generate(result.GetValue(seed), rowCount, syntheticTier.ToFileDescription(), SyntheticPublication);
                var samples = Path.Combine(settings.DataDir, "samples");
                Directory.CreateDirectory(samples);
                // Seed and size in the name: another demo never overwrites a file a capture points at.
                path = Path.Combine(samples, Path.GetFileNameWithoutExtension(week.FileName) + $"_seed{result.GetValue(seed)}_rows{rowCount}.psv");
                await using (var stream = File.Create(path))
                {
                    week.WriteTo(stream);
                }

                cli.Console.MarkupLine($"[grey]Generated a synthetic week ({rowCount:N0} rows, not real FINRA data): {Markup.Escape(path)}[/]");
            }

            var parameters = new Dictionary<string, string?> { ["file"] = path, ["tier"] = tierCode };
            if (synthetic)
            {
                // The demo database is a scratch pad: a new seed or size replaces the synthetic week.
                parameters["replace"] = "true";
            }

            if (result.GetValue(week) is { } weekEnding)
            {
                parameters["week_ending"] = weekEnding.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            }

            var submitted = await session.Dispatcher.SubmitAsync(new SubmitRequest(OtcPipelineNames.RunWeek, parameters), CancellationToken.None);
            session.Own(submitted.ExecutionId);
            var exit = await PipelineCommands.WaitAndReportAsync(cli, session, submitted, OutputFormat.Table, cancellationToken);
            var record = await session.Dispatcher.GetAsync(submitted.ExecutionId, CancellationToken.None);
            if (exit != ExitCodes.Ok || !record.Outputs.TryGetValue("capture_id", out var captureId))
            {
                return exit;
            }

            var queries = services.GetRequiredService<OtcQueryService>();
            var asOf = new AsOf(captureId, null);
            var count = result.GetValue(top);
            var venues = await queries.VenuesAsync(null, null, asOf, count, 0, CancellationToken.None);
            QueryCommands.VenueTable(QueryCommands.Title("Top venues", venues.Capture, venues.TotalRows)).Write(OutputFormat.Table, venues.Rows, cli.Console, cli.Output);
            var symbols = await queries.SymbolsAsync(null, null, asOf, count, 0, CancellationToken.None);
            QueryCommands.SymbolTable(QueryCommands.Title("Top symbols", symbols.Capture, symbols.TotalRows)).Write(OutputFormat.Table, symbols.Rows, cli.Console, cli.Output);
            var database = synthetic ? $" --database {settings.DatabasePath}" : "";
            cli.Console.MarkupLine(Markup.Escape($"Database: {settings.DatabasePath}. Next: spine{database} query weeks · spine{database} captures list · spine{database} executions list"));
            return ExitCodes.Ok;
        }
    }
}
