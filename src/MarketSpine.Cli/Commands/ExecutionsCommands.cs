using MarketSpine.Grains.Embedded;
using System.CommandLine;
using System.Globalization;
using MarketSpine.Cli.Output;
using MarketSpine.Core.Contracts;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary><c>spine executions list | show | events | logs | cancel</c>: the recorded runs, their history and their logs.</summary>
public static class ExecutionsCommands
{
    public const string ListHint = "'spine executions list' shows recent ones.";

    public static Command Build(CliContext cli) =>
        new("executions", "The recorded runs: list, inspect, follow and cancel them.") { List(cli), Show(cli), Events(cli), Logs(cli), Cancel(cli) };

    private static Command List(CliContext cli)
    {
        var status = new Option<string?>("--status") { Description = "Only this status: pending, queued, running, completed, failed, cancelling, cancelled, dead_lettered." };
        var pipeline = new Option<string?>("--pipeline") { Description = "Only this pipeline." };
        var logicalKey = new Option<string?>("--logical-key") { Description = "Only executions of this logical key." };
        var since = new Option<string?>("--since") { Description = "Only executions created since: a date (yyyy-MM-dd) or a span back from now such as 7d, 12h, 30m." };
        var until = new Option<string?>("--until") { Description = "Only executions created before: a date (yyyy-MM-dd) or a span back from now." };
        var before = new Option<string?>("--before") { Description = "The next page: only executions older than this execution id (the last of the previous page)." };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 50 };
        var format = FormatOption.Create();
        var command = new Command("list", "List executions, newest first.") { status, pipeline, logicalKey, since, until, before, limit, format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var query = new ExecutionQuery(ParseStatus(result.GetValue(status)), result.GetValue(pipeline),
                Durations.ParseInstant("--since", result.GetValue(since), now), ParseLimit(result.GetValue(limit)))
            {
                LogicalKey = result.GetValue(logicalKey),
                Until = Durations.ParseInstant("--until", result.GetValue(until), now),
                Before = result.GetValue(before),
            };
            var dispatcher = services.GetRequiredService<IExecutionCommands>();
            var records = await dispatcher.ListAsync(query, CancellationToken.None);
            var ids = await dispatcher.DeadLetterIdsOfAsync(records, CancellationToken.None);
            var deadLetters = records.Select((record, i) => (record.ExecutionId, ids[i])).ToDictionary(pair => pair.ExecutionId, pair => pair.Item2, StringComparer.Ordinal);

            var outputFormat = result.GetValue(format);
            new TableWriter<ExecutionRecord>("Executions",
            [
                new("execution_id", r => r.ExecutionId),
                new("pipeline", r => r.Pipeline),
                new("status", r => r.Status.ToText()),
                new("attempt", r => string.Create(CultureInfo.InvariantCulture, $"{r.Attempt}/{r.MaxAttempts}")),
                new("created_at", r => r.CreatedAt),
                new("duration_ms", r => (long?)r.Duration?.TotalMilliseconds, true),
                new("logical_key", r => r.LogicalKey),
                new("rejects", r => r.RejectCount, true),
                new("error", r => r.Error?.Code),
            ]).Write(outputFormat, records, cli.Console, cli.Output, records.Select(r => ExecutionView.From(r, deadLetters.GetValueOrDefault(r.ExecutionId))));
            if (outputFormat == OutputFormat.Table && records.Count == query.Limit)
            {
                cli.Console.MarkupLine($"[grey]More: --before {records[^1].ExecutionId}[/]");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show(CliContext cli)
    {
        var id = ExecutionIdArgument();
        var format = FormatOption.Create();
        var command = new Command("show", "Show one execution: parameters, attempts, progress, metrics, quality checks and error.") { id, format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var dispatcher = services.GetRequiredService<IExecutionCommands>();
            var record = await FindAsync(dispatcher, result.GetValue(id)!);
            PipelineCommands.Print(cli, record, result.GetValue(format), await dispatcher.DeadLetterIdOfAsync(record, CancellationToken.None));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Events(CliContext cli)
    {
        var id = ExecutionIdArgument();
        var after = new Option<long>("--after") { Description = "Only events after this sequence number (to resume).", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = "At most this many events.", DefaultValueFactory = _ => 1_000 };
        var format = FormatOption.Create();
        var command = new Command("events", "An execution's history, one event per change: created, queued, started, progress, stages, completed, failed, ...")
        {
            id, after, limit, format,
        };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var executionId = result.GetValue(id)!;
            var events = await WithHint(services.GetRequiredService<IExecutionCommands>()
                .EventsAsync(executionId, ParseAfter(result.GetValue(after)), ParseLimit(result.GetValue(limit)), CancellationToken.None), ListHint);
            new TableWriter<ExecutionEvent>($"Events of {executionId}",
            [
                new("seq", e => e.Sequence, true),
                new("at", e => e.At),
                new("attempt", e => e.Attempt, true),
                new("type", e => e.Type),
                new("data", e => string.Join(", ", e.Data.Select(pair => $"{pair.Key}={pair.Value}")), MaxWidth: 120),
            ]).Write(result.GetValue(format), events, cli.Console, cli.Output, events.Select(EventView.From));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Logs(CliContext cli)
    {
        var id = ExecutionIdArgument();
        var after = new Option<long>("--after") { Description = "Only lines after this sequence number (to resume).", DefaultValueFactory = _ => 0 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the execution ends." };
        var format = new Option<OutputFormat>("--format") { Description = "Output format: table (plain lines) or json (one object per line with --follow).", DefaultValueFactory = _ => OutputFormat.Table };
        var command = new Command("logs", "The log lines an execution's pipeline wrote (the newest ones the store keeps).") { id, after, follow, format };
        command.SetAction((result, cancellationToken) => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var dispatcher = services.GetRequiredService<IExecutionCommands>();
            var executionId = result.GetValue(id)!;
            var json = result.GetValue(format) == OutputFormat.Json;
            var position = ParseAfter(result.GetValue(after));
            if (!result.GetValue(follow))
            {
                var lines = await WithHint(dispatcher.LogsAsync(executionId, position, 10_000, CancellationToken.None), ListHint);
                if (json)
                {
                    await cli.Output.WriteLineAsync(SpineJson.Serialize(lines.Select(LogLineView.From)));
                }
                else
                {
                    foreach (var line in lines)
                    {
                        await cli.Output.WriteLineAsync(Plain(line));
                    }
                }

                return ExitCodes.Ok;
            }

            await FindAsync(dispatcher, executionId);
            var ended = false;
            while (true)
            {
                var lines = await dispatcher.LogsAsync(executionId, position, 1_000, cancellationToken);
                foreach (var line in lines)
                {
                    await cli.Output.WriteLineAsync(json ? SpineJson.SerializeLine(LogLineView.From(line)) : Plain(line));
                    position = line.Sequence;
                }

                await cli.Output.FlushAsync(cancellationToken);
                if (lines.Count == 1_000)
                {
                    continue;
                }

                if (ended)
                {
                    return ExitCodes.Ok;
                }

                // Lines are stored before the execution ends: one more read after the end gets the last ones.
                ended = (await dispatcher.GetAsync(executionId, cancellationToken)).IsTerminal;
                if (!ended)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                }
            }
        }));
        return command;
    }

    private static Command Cancel(CliContext cli)
    {
        var id = ExecutionIdArgument();
        var reason = new Option<string>("--reason") { Description = "Why; recorded with the cancellation.", DefaultValueFactory = _ => "cancelled from the CLI" };
        var format = FormatOption.Create();
        var command = new Command("cancel", "Cancel an execution: a queued one ends at once, a running one is told to stop and ends when its pipeline does.")
        {
            id, reason, format,
        };
        command.SetAction((result, cancellationToken) => cli.RunWithSiloAsync(GlobalOptions.From(result), SiloRole.Client, "spine executions cancel", async session =>
        {
            var executionId = result.GetValue(id)!;
            var current = await FindAsync(session.Dispatcher, executionId);
            ExecutionRecord record;
            if (session.Mailbox is { } mailbox && session.ServedBy is not null && !current.IsTerminal)
            {
                // Only the process that serves the database holds the attempt and can stop its pipeline.
                if (!await mailbox.PostCancelAsync(executionId, result.GetValue(reason)!, TimeSpan.FromSeconds(10), cancellationToken))
                {
                    await cli.Error.WriteLineAsync($"… {session.ServedBy} took the request; the cancellation is recorded once its pipeline's current write to the database commits");
                }

                record = await session.Dispatcher.GetAsync(executionId, CancellationToken.None);
            }
            else
            {
                record = await session.Dispatcher.CancelAsync(executionId, result.GetValue(reason)!, CancellationToken.None);
            }

            PipelineCommands.Print(cli, record, result.GetValue(format), null);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary>The execution, or a not-found error that says where to look.</summary>
    public static Task<ExecutionRecord> FindAsync(IExecutionCommands dispatcher, string executionId) =>
        WithHint(dispatcher.GetAsync(executionId, CancellationToken.None), ListHint);

    /// <summary>Adds a hint to the dispatcher's not-found message (which stays one line, exit 2).</summary>
    public static async Task<T> WithHint<T>(Task<T> call, string hint)
    {
        try
        {
            return await call;
        }
        catch (NotFoundError error)
        {
            throw new NotFoundError(error.Code, $"{error.Message} {hint}", error.Details);
        }
    }

    private static Argument<string> ExecutionIdArgument() => new("execution-id") { Description = "The execution's id (exec_...)." };

    private static string Plain(ExecutionLogLine line) =>
        $"{ExecutionPrinter.Time(line.At)} {line.Level.ToUpperInvariant(),-11} {line.Message}";

    private static ExecutionStatus? ParseStatus(string? text) =>
        text is null ? null
        : ExecutionStatusText.TryParse(text, out var status) ? status
        : throw new ValidationError(new ValidationProblem("--status", "NOT_ALLOWED",
            $"--status '{text}' is not one of {string.Join(", ", Enum.GetValues<ExecutionStatus>().Select(s => s.ToText()))}."));

    public static int ParseLimit(int limit) => limit is >= 1 and <= 10_000
        ? limit
        : throw new ValidationError(new ValidationProblem("--limit", "OUT_OF_RANGE", $"--limit must be between 1 and 10000 (got {limit})."));

    private static long ParseAfter(long after) => after >= 0
        ? after
        : throw new ValidationError(new ValidationProblem("--after", "OUT_OF_RANGE", $"--after must not be negative (got {after})."));
}
