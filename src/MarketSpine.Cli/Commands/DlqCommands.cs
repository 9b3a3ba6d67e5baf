using MarketSpine.Grains.Embedded;
using System.CommandLine;
using MarketSpine.Cli.Output;
using MarketSpine.Core.Contracts;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary><c>spine dlq list | show | retry | discard</c>: executions that used up their attempts.</summary>
public static class DlqCommands
{
    private const string ListHint = "'spine dlq list' shows open ones.";

    public static Command Build(CliContext cli) =>
        new("dlq", "Dead letters: executions that failed their last attempt. Inspect, retry (a new execution) or discard them.")
        {
            List(cli), Show(cli), Retry(cli), Discard(cli),
        };

    private static Command List(CliContext cli)
    {
        var status = new Option<string>("--status") { Description = "open (the default), retried, discarded, or all.", DefaultValueFactory = _ => "open" }
            .AcceptOnlyFromAmong("open", "retried", "discarded", "all");
        var pipeline = new Option<string?>("--pipeline") { Description = "Only this pipeline." };
        var before = new Option<string?>("--before") { Description = "The next page: only dead letters older than this id (the last of the previous page)." };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 50 };
        var format = FormatOption.Create();
        var command = new Command("list", "List dead letters, newest first.") { status, pipeline, before, limit, format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var statusText = result.GetValue(status)!;
            DeadLetterStatus? filter = statusText == "all" ? null : Enum.Parse<DeadLetterStatus>(statusText, ignoreCase: true);
            var query = new DeadLetterQuery(filter, result.GetValue(pipeline), ExecutionsCommands.ParseLimit(result.GetValue(limit)), result.GetValue(before));
            var letters = await services.GetRequiredService<IExecutionCommands>().ListDeadLettersAsync(query, CancellationToken.None);
            var outputFormat = result.GetValue(format);
            new TableWriter<DeadLetter>("Dead letters",
            [
                new("dead_letter_id", d => d.DeadLetterId),
                new("execution_id", d => d.ExecutionId),
                new("pipeline", d => d.Pipeline),
                new("status", d => d.Status.ToString().ToLowerInvariant()),
                new("attempts", d => d.Attempts, true),
                new("dead_lettered_at", d => d.DeadLetteredAt),
                new("error", d => d.Error.Code),
                new("retried_as", d => d.RetriedAs),
            ]).Write(outputFormat, letters, cli.Console, cli.Output, letters.Select(DeadLetterView.From));
            if (outputFormat == OutputFormat.Table && letters.Count == query.Limit)
            {
                cli.Console.MarkupLine($"[grey]More: --before {letters[^1].DeadLetterId}[/]");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show(CliContext cli)
    {
        var id = DeadLetterIdArgument();
        var format = FormatOption.Create();
        var command = new Command("show", "Show one dead letter: its execution, parameters, attempts and last error.") { id, format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var letter = await FindAsync(services.GetRequiredService<IExecutionCommands>(), result.GetValue(id)!);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await cli.Output.WriteLineAsync(SpineJson.Serialize(DeadLetterView.From(letter)));
            }
            else
            {
                Print(cli.Console, letter);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Retry(CliContext cli)
    {
        var id = DeadLetterIdArgument();
        var wait = new Option<bool>("--wait") { Description = "Run the new execution here and wait for its result, as 'spine run' does." };
        var format = FormatOption.Create();
        var command = new Command("retry", "Run a dead letter's pipeline again, with the same parameters, as a new execution linked to the dead one.") { id, wait, format };
        command.SetAction((result, cancellationToken) =>
        {
            var waiting = result.GetValue(wait);
            var deadLetterId = result.GetValue(id)!;
            return cli.RunWithSiloAsync(GlobalOptions.From(result), waiting ? SiloRole.Runner : SiloRole.Client, $"spine dlq retry {deadLetterId}", async session =>
            {
                var retried = await ExecutionsCommands.WithHint(session.Dispatcher.RetryDeadLetterAsync(deadLetterId, CancellationToken.None), ListHint);
                if (!waiting)
                {
                    if (result.GetValue(format) == OutputFormat.Json)
                    {
                        await cli.Output.WriteLineAsync(SpineJson.Serialize(ExecutionView.From(retried)));
                    }
                    else
                    {
                        await cli.Output.WriteLineAsync($"{retried.ExecutionId} {retried.Status.ToText()}");
                        await cli.Error.WriteLineAsync(session switch
                        {
                            { Remote: { } server } => $"… {deadLetterId} retried as {retried.ExecutionId}; {server} runs it",
                            { ServedBy: { } servedBy } => $"… {deadLetterId} retried as {retried.ExecutionId}; {servedBy} serves {session.DatabasePath} and runs it",
                            _ => $"… {deadLetterId} retried as {retried.ExecutionId}; it runs when a worker serves {session.DatabasePath} ('spine worker start'), or retry with --wait",
                        });
                    }

                    return ExitCodes.Ok;
                }

                session.Own(retried.ExecutionId);
                return await PipelineCommands.WaitAndReportAsync(cli, session, retried, result.GetValue(format), cancellationToken);
            }, cancellationToken);
        });
        return command;
    }

    private static Command Discard(CliContext cli)
    {
        var id = DeadLetterIdArgument();
        var format = FormatOption.Create();
        var command = new Command("discard", "Give up on a dead letter: it stays listed as discarded, and is never retried.") { id, format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var letter = await ExecutionsCommands.WithHint(
                services.GetRequiredService<IExecutionCommands>().DiscardDeadLetterAsync(result.GetValue(id)!, CancellationToken.None), ListHint);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await cli.Output.WriteLineAsync(SpineJson.Serialize(DeadLetterView.From(letter)));
            }
            else
            {
                cli.Console.MarkupLine($"[yellow]■[/] {Markup.Escape(letter.DeadLetterId)} discarded  [grey]{Markup.Escape(letter.ExecutionId)} {Markup.Escape(letter.Pipeline)}[/]");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Task<DeadLetter> FindAsync(IExecutionCommands dispatcher, string deadLetterId) =>
        ExecutionsCommands.WithHint(dispatcher.GetDeadLetterAsync(deadLetterId, CancellationToken.None), ListHint);

    private static void Print(IAnsiConsole console, DeadLetter letter)
    {
        var color = letter.Status == DeadLetterStatus.Open ? "red" : "grey";
        console.MarkupLine($"[{color}]✗ {Markup.Escape(letter.DeadLetterId)} {letter.Status.ToString().ToLowerInvariant()}[/]  [grey]{Markup.Escape(letter.Pipeline)}[/]");
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow("execution", Markup.Escape(letter.ExecutionId));
        facts.AddRow("dead-lettered", Markup.Escape(ExecutionPrinter.Time(letter.DeadLetteredAt)));
        facts.AddRow("attempts", letter.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        facts.AddRow("lane", letter.Lane.ToString().ToLowerInvariant());
        if (letter.LogicalKey is { } key)
        {
            facts.AddRow("logical key", Markup.Escape(key));
        }

        if (letter.RetriedAs is { } retriedAs)
        {
            facts.AddRow("retried as", Markup.Escape(retriedAs));
        }

        if (letter.ResolvedAt is { } resolved)
        {
            facts.AddRow("resolved", Markup.Escape(ExecutionPrinter.Time(resolved)));
        }

        foreach (var (name, value) in letter.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            facts.AddRow($"param {Markup.Escape(name)}", Markup.Escape(value));
        }

        console.Write(facts);
        console.MarkupLine($"  [red]{Markup.Escape(letter.Error.Code)}[/]: {Markup.Escape(letter.Error.Message)}");
        if (letter.Status == DeadLetterStatus.Open)
        {
            console.MarkupLine($"[grey]Next: spine dlq retry {Markup.Escape(letter.DeadLetterId)} [[--wait]] · spine dlq discard {Markup.Escape(letter.DeadLetterId)}[/]");
        }
    }

    private static Argument<string> DeadLetterIdArgument() => new("dead-letter-id") { Description = "The dead letter's id (dlq_...)." };
}
