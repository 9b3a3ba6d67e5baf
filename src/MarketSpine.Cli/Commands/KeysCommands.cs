using MarketSpine.Grains.Embedded;
using System.CommandLine;
using MarketSpine.Cli.Output;
using MarketSpine.Core.Contracts;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary><c>spine keys show</c>: who holds a logical key, and who waits for it.</summary>
public static class KeysCommands
{
    public static Command Build(CliContext cli) => new("keys", "Logical keys: at most one execution per key runs at a time.") { Show(cli) };

    private static Command Show(CliContext cli)
    {
        var key = new Argument<string>("key") { Description = "The logical key, as given to 'spine run --logical-key'." };
        var format = FormatOption.Create();
        var command = new Command("show", "Show the execution that holds a logical key, since when, and the executions waiting for it in order.") { key, format };
        command.SetAction((result, cancellationToken) => cli.RunWithSiloAsync(GlobalOptions.From(result), SiloRole.Client, "spine keys show", async session =>
        {
            var view = await session.Dispatcher.GetKeyAsync(result.GetValue(key)!, cancellationToken);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await cli.Output.WriteLineAsync(SpineJson.Serialize(view));
                return ExitCodes.Ok;
            }

            cli.Console.MarkupLine(view.Holder is null
                ? $"[green]○[/] {Markup.Escape(view.Key)} is free"
                : $"[blue]●[/] {Markup.Escape(view.Key)} is held by {Markup.Escape(view.Holder)} since {Markup.Escape(ExecutionPrinter.Time(view.HeldSince))}");
            var rows = new List<(int Position, string ExecutionId, ExecutionRecord? Record)>();
            if (view.Holder is not null)
            {
                rows.Add((0, view.Holder, await FindOrNullAsync(session, view.Holder)));
            }

            for (var i = 0; i < view.Waiters.Count; i++)
            {
                rows.Add((i + 1, view.Waiters[i], await FindOrNullAsync(session, view.Waiters[i])));
            }

            if (rows.Count > 0)
            {
                new TableWriter<(int Position, string ExecutionId, ExecutionRecord? Record)>($"Logical key {view.Key}",
                [
                    new("position", r => r.Position == 0 ? "holder" : r.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new("execution_id", r => r.ExecutionId),
                    new("pipeline", r => r.Record?.Pipeline),
                    new("status", r => r.Record?.Status.ToText()),
                    new("created_at", r => r.Record?.CreatedAt),
                ]).Write(OutputFormat.Table, rows, cli.Console, cli.Output);
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static async Task<ExecutionRecord?> FindOrNullAsync(SiloSession session, string executionId)
    {
        try
        {
            return await session.Dispatcher.GetAsync(executionId, CancellationToken.None);
        }
        catch (NotFoundError)
        {
            return null;
        }
    }
}
