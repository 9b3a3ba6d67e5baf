using System.CommandLine;
using MarketSpine.Core.Data;
using MarketSpine.Core.Errors;
using MarketSpine.Storage.Migrations;
using MarketSpine.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary><c>spine db init | reset | status</c>: the embedded store's schema.</summary>
public static class DbCommands
{
    public static Command Build(CliContext cli)
    {
        var init = new Command("init", "Create the database if needed and apply pending migrations.");
        init.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: false, async services =>
        {
            var applied = await services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None);
            var location = services.GetRequiredService<ISpineDatabase>().Location;
            cli.Console.MarkupLine(applied.Count == 0
                ? $"[green]✓[/] {Markup.Escape(location)} is up to date"
                : $"[green]✓[/] applied {applied.Count} migration(s) to {Markup.Escape(location)}: {Markup.Escape(string.Join(", ", applied.Select(m => m.FileName)))}");
            return ExitCodes.Ok;
        }, localOnly: "spine db init"));

        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
        var reset = new Command("reset", "Delete the database and create it again: every capture and execution is lost.") { yes };
        reset.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: false, async services =>
        {
            var database = (SqliteSpineDatabase)services.GetRequiredService<ISpineDatabase>();
            if (!result.GetValue(yes))
            {
                if (!cli.Console.Profile.Capabilities.Interactive)
                {
                    throw new ValidationError(new ValidationProblem("--yes", "CONFIRMATION_REQUIRED",
                        $"db reset deletes {database.FilePath}; pass --yes to confirm when not at a terminal."));
                }

                if (!cli.Console.Confirm($"Delete {Markup.Escape(database.FilePath)} and all its data?", defaultValue: false))
                {
                    cli.Console.MarkupLine("Nothing deleted.");
                    return ExitCodes.Ok;
                }
            }

            database.Delete();
            var applied = await services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None);
            cli.Console.MarkupLine($"[green]✓[/] reset {Markup.Escape(database.FilePath)}: {applied.Count} migration(s) applied");
            return ExitCodes.Ok;
        }, localOnly: "spine db reset"));

        var status = new Command("status", "Show applied and pending migrations.");
        status.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: false, async services =>
        {
            var state = await services.GetRequiredService<MigrationRunner>().GetStatusAsync(CancellationToken.None);
            var table = new Table().AddColumns("version", "name", "state", "applied at");
            foreach (var applied in state.Applied)
            {
                table.AddRow($"{applied.Version:000}", Markup.Escape(applied.Name), "[green]applied[/]", Output.ExecutionPrinter.Time(applied.AppliedAt));
            }

            foreach (var pending in state.Pending)
            {
                table.AddRow($"{pending.Version:000}", Markup.Escape(pending.Name), "[yellow]pending[/]", "");
            }

            cli.Console.Write(table);
            return ExitCodes.Ok;
        }, localOnly: "spine db status"));

        return new Command("db", "Manage the embedded SQLite database.") { init, reset, status };
    }
}
