using MarketSpine.Grains.Embedded;
using System.CommandLine;
using MarketSpine.Cli.Hosting;
using MarketSpine.Cli.Output;
using MarketSpine.Core.Contracts;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Registry;
using MarketSpine.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary><c>spine list</c>, <c>spine describe</c> and <c>spine run</c>.</summary>
public static class PipelineCommands
{
    public static Command List(CliContext cli)
    {
        var format = FormatOption.Create();
        var command = new Command("list", "List the registered pipelines.") { format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: false, async services =>
        {
            var pipelines = await services.GetRequiredService<IPipelineCatalog>().ListAsync(CancellationToken.None);
            new TableWriter<PipelineView>("Pipelines",
            [
                new("name", d => d.Name),
                new("description", d => d.Description, MaxWidth: 120),
            ]).Write(result.GetValue(format), pipelines, cli.Console, cli.Output);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Describe(CliContext cli)
    {
        var name = new Argument<string>("pipeline") { Description = "The pipeline's name, e.g. finra.otc_transparency.run_week." };
        var format = FormatOption.Create();
        var command = new Command("describe", "Show a pipeline's parameters.") { name, format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: false, async services =>
        {
            var descriptor = await services.GetRequiredService<IPipelineCatalog>().GetAsync(result.GetValue(name)!, CancellationToken.None);
            var writer = new TableWriter<ParameterView>($"{descriptor.Name}: {descriptor.Description}",
            [
                new("name", p => p.Name),
                new("type", p => p.Type),
                new("required", p => p.Required ? "yes" : "no"),
                new("default", p => p.Default),
                new("allowed", p => p.Allowed is null ? null : string.Join(", ", p.Allowed)),
                new("description", p => p.Description, MaxWidth: 120),
            ]);
            var parameters = descriptor.Parameters;
            writer.Write(result.GetValue(format), parameters, cli.Console, cli.Output,
                new
                {
                    name = descriptor.Name,
                    description = descriptor.Description,
                    parameters = parameters.Select(p => new
                    {
                        name = p.Name,
                        type = p.Type,
                        required = p.Required,
                        @default = p.Default,
                        allowed = p.Allowed,
                        description = p.Description,
                    }),
                });
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Run(CliContext cli)
    {
        var name = new Argument<string>("pipeline") { Description = "The pipeline to run." };
        var parameters = new Option<string[]>("--param", "-p") { Description = "A parameter as key=value; repeat for more.", Arity = ArgumentArity.ZeroOrMore };
        var logicalKey = new Option<string?>("--logical-key") { Description = "At most one execution per logical key runs at a time; the others wait their turn (see --key-policy)." };
        var keyPolicy = new Option<string>("--key-policy")
        {
            Description = "When the logical key is held: queue (wait, the default), skip (end cancelled at once) or reject (refuse, exit 1).",
            DefaultValueFactory = _ => "queue",
        }.AcceptOnlyFromAmong("queue", "skip", "reject");
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Run at most once per key: a repeat returns the first execution." };
        var lane = new Option<string>("--lane") { Description = "The worker lane: normal, backfill or slow.", DefaultValueFactory = _ => "normal" }
            .AcceptOnlyFromAmong("normal", "backfill", "slow");
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "Attempts before the execution goes to the dead letters (the pipeline's policy when omitted)." };
        var timeout = new Option<string?>("--timeout") { Description = "How long one attempt may run, such as 90s, 30m or 2h (the runtime's default, 6h, when omitted)." };
        var submitOnly = new Option<bool>("--async") { Description = "Print the execution id at once and leave the run to a worker ('spine worker start')." };
        var format = FormatOption.Create();
        var command = new Command("run", "Run a pipeline and wait for its result (or, with --async, queue it for a worker).")
        {
            name, parameters, logicalKey, keyPolicy, idempotencyKey, lane, maxAttempts, timeout, submitOnly, format,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var pipeline = result.GetValue(name)!;
            var queueOnly = result.GetValue(submitOnly);
            return cli.RunWithSiloAsync(GlobalOptions.From(result), queueOnly ? SiloRole.Client : SiloRole.Runner, $"spine run {pipeline}", async session =>
            {
                var request = new SubmitRequest(pipeline, ParseParameters(result.GetValue(parameters) ?? []),
                    Enum.Parse<Lane>(result.GetValue(lane)!, ignoreCase: true), TriggerSource.Cli, result.GetValue(logicalKey), result.GetValue(idempotencyKey))
                {
                    KeyPolicy = Enum.Parse<KeyPolicy>(result.GetValue(keyPolicy)!, ignoreCase: true),
                    Retry = RetryOf(session.Services, pipeline, result.GetValue(maxAttempts)),
                    RunTimeout = result.GetValue(timeout) is { } text ? Durations.Parse("--timeout", text) : null,
                };
                var submitted = await session.Dispatcher.SubmitAsync(request, CancellationToken.None);
                if (queueOnly)
                {
                    PrintSubmitted(cli, session, submitted, result.GetValue(format));
                    return ExitCodes.Ok;
                }

                session.Own(submitted.ExecutionId);
                if (!session.Serving && session.Remote is null && !submitted.IsTerminal)
                {
                    await cli.Error.WriteLineAsync($"… {submitted.ExecutionId} queued for {session.ServedBy}, which serves {session.DatabasePath}");
                }

                return await WaitAndReportAsync(cli, session, submitted, result.GetValue(format), cancellationToken);
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>Waits for the execution (showing progress), prints it, and maps its end to the exit code; 130 when interrupted.</summary>
    public static async Task<int> WaitAndReportAsync(CliContext cli, SiloSession session, ExecutionRecord submitted, OutputFormat format, CancellationToken cancellationToken)
    {
        var (record, interrupted) = await ExecutionWaiter.WaitAsync(cli, session, submitted, cancellationToken);
        var deadLetterId = await session.Dispatcher.DeadLetterIdOfAsync(record, CancellationToken.None);
        if (!interrupted)
        {
            return Report(cli, record, format, deadLetterId);
        }

        Print(cli, record, format, deadLetterId);
        await cli.Error.WriteLineAsync(record.IsTerminal
            ? $"error: interrupted: {record.Pipeline} {record.Status.ToText()} ({record.ExecutionId})"
            : $"error: interrupted: {record.Pipeline} is still {record.Status.ToText()} ({record.ExecutionId}); 'spine executions show {record.ExecutionId}' tells how it ends");
        return ExitCodes.Interrupted;
    }

    /// <summary>Prints the execution and maps its status to the exit code.</summary>
    public static int Report(CliContext cli, ExecutionRecord record, OutputFormat format, string? deadLetterId = null)
    {
        Print(cli, record, format, deadLetterId);
        if (record.Status == ExecutionStatus.Completed)
        {
            return ExitCodes.Ok;
        }

        // Dead-lettered is how a run that failed its last attempt ends; the line says what went wrong.
        var outcome = record.Status == ExecutionStatus.DeadLettered ? "failed" : record.Status.ToText();
        cli.Error.WriteLine($"error: {record.Pipeline} {outcome}: {record.Error?.Code}: {record.Error?.Message}");
        // A parameter the pipeline itself refuses (a week_ending that is not a Friday, a tier the
        // file does not hold) is bad usage, exactly as when the dispatcher refuses it before the
        // run (CliContext maps ValidationError to 2): retrying the same command cannot succeed.
        return record.Error?.Code == ErrorCodes.ValidationFailed ? ExitCodes.Usage : ExitCodes.Failed;
    }

    public static void Print(CliContext cli, ExecutionRecord record, OutputFormat format, string? deadLetterId)
    {
        if (format == OutputFormat.Json)
        {
            cli.Output.WriteLine(SpineJson.Serialize(ExecutionView.From(record, deadLetterId)));
        }
        else
        {
            ExecutionPrinter.Print(cli.Console, record, deadLetterId);
        }
    }

    private static void PrintSubmitted(CliContext cli, SiloSession session, ExecutionRecord record, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            cli.Output.WriteLine(SpineJson.Serialize(ExecutionView.From(record)));
        }
        else
        {
            cli.Output.WriteLine($"{record.ExecutionId} {record.Status.ToText()}");
        }

        if (!record.IsTerminal)
        {
            cli.Error.WriteLine(session switch
            {
                { Remote: { } server } => $"… {server} runs it; 'spine --server {server} executions show {record.ExecutionId}' follows it",
                { ServedBy: { } servedBy } => $"… {servedBy} serves {session.DatabasePath} and runs it; 'spine executions show {record.ExecutionId}' follows it",
                _ => $"… it runs when a worker serves {session.DatabasePath}: 'spine worker start'",
            });
        }
    }

    /// <summary>The pipeline's retry policy with another number of attempts; null (the pipeline's own) when not given.</summary>
    private static RetryPolicy? RetryOf(IServiceProvider services, string pipeline, int? maxAttempts)
    {
        if (maxAttempts is not { } attempts)
        {
            return null;
        }

        if (attempts is < 1 or > 100)
        {
            throw new ValidationError(new ValidationProblem("--max-attempts", "OUT_OF_RANGE", $"--max-attempts must be between 1 and 100 (got {attempts})."));
        }

        // Against a server only the number of attempts travels (the server applies its pipeline's backoff).
        var policy = services.GetService<PipelineRegistry>()?.Get(pipeline).Retry ?? services.GetService<ExecutionOptions>()?.DefaultRetry ?? RetryPolicy.None;
        return policy with { MaxAttempts = attempts };
    }

    /// <summary><c>key=value</c> pairs; a value may itself contain '='.</summary>
    public static Dictionary<string, string?> ParseParameters(IEnumerable<string> pairs)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var problems = new List<ValidationProblem>();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add(new ValidationProblem(pair, "BAD_PARAMETER_SYNTAX", $"-p '{pair}' is not key=value."));
                continue;
            }

            values[pair[..equals].Trim()] = pair[(equals + 1)..];
        }

        return problems.Count > 0 ? throw ValidationError.FromProblems(problems) : values;
    }
}
