using System.CommandLine;
using MarketSpine.Cli.Output;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Cli.Commands;

/// <summary><c>spine executions list | show</c>: the history of runs.</summary>
public static class ExecutionsCommands
{
    public static Command Build(CliContext cli) => new("executions", "The recorded history of runs.") { List(cli), Show(cli) };

    private static Command List(CliContext cli)
    {
        var status = new Option<string?>("--status") { Description = "Only this status: pending, running, completed, failed, cancelled, ..." };
        var pipeline = new Option<string?>("--pipeline") { Description = "Only this pipeline." };
        var since = new Option<string?>("--since") { Description = "Only executions created since: a date (yyyy-MM-dd) or a span back from now such as 7d, 12h, 30m." };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 50 };
        var format = FormatOption.Create();
        var command = new Command("list", "List executions, newest first.") { status, pipeline, since, limit, format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var query = new ExecutionQuery(ParseStatus(result.GetValue(status)), result.GetValue(pipeline),
                ParseSince(result.GetValue(since), services.GetRequiredService<TimeProvider>().GetUtcNow()), ParseLimit(result.GetValue(limit)));
            var records = await services.GetRequiredService<IExecutionLedger>().ListAsync(query, CancellationToken.None);
            new TableWriter<ExecutionRecord>("Executions",
            [
                new("execution_id", r => r.ExecutionId),
                new("pipeline", r => r.Pipeline),
                new("status", r => r.Status.ToText()),
                new("created_at", r => r.CreatedAt),
                new("duration_ms", r => (long?)r.Duration?.TotalMilliseconds, true),
                new("rejects", r => r.RejectCount, true),
                new("error", r => r.Error?.Code),
            ]).Write(result.GetValue(format), records, cli.Console, cli.Output, records.Select(ExecutionView.From));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show(CliContext cli)
    {
        var id = new Argument<string>("execution-id") { Description = "The execution's id (exec_...)." };
        var format = FormatOption.Create();
        var command = new Command("show", "Show one execution with its parameters, metrics, quality checks and error.") { id, format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var executionId = result.GetValue(id)!;
            var record = await services.GetRequiredService<IExecutionLedger>().FindAsync(executionId, CancellationToken.None)
                         ?? throw new NotFoundError(ErrorCodes.ExecutionNotFound, $"Execution {executionId} does not exist. 'spine executions list' shows recent ones.");
            if (result.GetValue(format) == OutputFormat.Json)
            {
                cli.Output.WriteLine(SpineJson.Serialize(ExecutionView.From(record)));
            }
            else
            {
                ExecutionPrinter.Print(cli.Console, record);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static ExecutionStatus? ParseStatus(string? text) =>
        text is null ? null
        : ExecutionStatusText.TryParse(text, out var status) ? status
        : throw new ValidationError(new ValidationProblem("--status", "NOT_ALLOWED",
            $"--status '{text}' is not one of {string.Join(", ", Enum.GetValues<ExecutionStatus>().Select(s => s.ToText()))}."));

    private static int ParseLimit(int limit) => limit is >= 1 and <= 10_000
        ? limit
        : throw new ValidationError(new ValidationProblem("--limit", "OUT_OF_RANGE", $"--limit must be between 1 and 10000 (got {limit})."));

    /// <summary><c>--since</c>: an ISO date, or a span back from now (<c>7d</c>, <c>12h</c>, <c>30m</c>).</summary>
    public static DateTimeOffset? ParseSince(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (text.Length >= 2 && int.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? span = char.ToLowerInvariant(text[^1]) switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => null,
            };
            if (span is { } back)
            {
                return now - back;
            }
        }

        throw new ValidationError(new ValidationProblem("--since", "INVALID_SINCE", $"--since '{text}' is neither a date (yyyy-MM-dd) nor a span such as 7d, 12h or 30m."));
    }
}
