using System.Globalization;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Domains.Otc.Calendar;
using MarketSpine.Domains.Otc.Model;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Domains.Otc.Pipelines;

/// <summary>
/// Runs <see cref="OtcPipelineNames.RunWeek"/> for every week ending between two dates, one child
/// execution per week on the backfill lane, each under the week's logical key so a backfill and a
/// scheduled run never load the same week at once. The file of each week is found in a directory
/// by FINRA's download name, which carries the regular publication date. The backfill reports
/// progress as weeks end, and fails, naming them, if any week did. Retrying it reuses the children
/// that exist (their idempotency keys), so finished weeks are not loaded again.
/// </summary>
[Pipeline(OtcPipelineNames.BackfillRange, Description = "Run run_week for every week between two dates, one child execution per week.")]
[Parameter("start", ParameterType.Date, Required = true, Description = "The first week is the first one ending (Friday) on or after this date.")]
[Parameter("end", ParameterType.Date, Required = true, Description = "The last week is the last one ending on or before this date.")]
[Parameter("tier", ParameterType.Choice, Required = true, AllowedValues = ["NMS_TIER_1", "NMS_TIER_2", "OTC"], Description = "The tier to load.")]
[Parameter("source_dir", ParameterType.String, Required = true, Description = "The directory holding the weekly files.")]
[Parameter("file_pattern", ParameterType.String, Default = DefaultPattern,
    Description = "A week's file name: {tier} is the tier in lower case (otc, nms_tier_1), {publication} the regular publication date as yyyyMMdd.")]
public sealed partial class BackfillRangePipeline(IExecutionSubmitter executions) : Pipeline, IValidatesParameters
{
    public const string DefaultPattern = "finra_otc_weekly_{tier}_{publication}.csv";

    /// <summary>Ten years of weeks: a longer range is a typo more often than a plan.</summary>
    private const int MaxWeeks = 520;

    // One wait under the runtime's call timeout; the loop waits as long as the children run.
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(15);

    public static IEnumerable<ValidationProblem> Validate(PipelineParameters parameters)
    {
        var start = parameters.GetDate("start");
        var end = parameters.GetDate("end");
        if (end < start)
        {
            yield return new ValidationProblem("end", "BEFORE_START", $"end {end:yyyy-MM-dd} is before start {start:yyyy-MM-dd}.");
        }
        else if (Weeks(start, end).Count > MaxWeeks)
        {
            yield return new ValidationProblem("end", "RANGE_TOO_LONG", $"{start:yyyy-MM-dd}..{end:yyyy-MM-dd} spans more than {MaxWeeks} weeks; split the backfill.");
        }

        if (!Directory.Exists(parameters.GetString("source_dir")))
        {
            yield return new ValidationProblem("source_dir", "NOT_FOUND", $"source_dir '{parameters.GetString("source_dir")}' is not a directory.");
        }

        var pattern = parameters.GetStringOrNull("file_pattern") ?? DefaultPattern;
        if (!pattern.Contains("{publication}", StringComparison.Ordinal))
        {
            yield return new ValidationProblem("file_pattern", "NO_PUBLICATION", "file_pattern must contain {publication}: the date tells the weeks' files apart.");
        }
    }

    public override async Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        var tier = OtcTiers.FromCode(parameters.GetString("tier"));
        var directory = parameters.GetString("source_dir");
        var pattern = parameters.GetStringOrNull("file_pattern") ?? DefaultPattern;
        var weeks = Weeks(parameters.GetDate("start"), parameters.GetDate("end"));
        var outcome = new PipelineOutcome();
        var failures = new List<string>();
        var children = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        context.ReportProgress("submit weeks", 0, weeks.Count);
        foreach (var week in weeks)
        {
            var file = Path.Combine(directory, FileName(pattern, tier, week));
            try
            {
                var child = await executions.SubmitAsync(new SubmitRequest(OtcPipelineNames.RunWeek,
                    new Dictionary<string, string?>
                    {
                        ["file"] = file, ["tier"] = tier.ToCode(), ["week_ending"] = week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    },
                    Lane.Backfill, TriggerSource.Workflow, LogicalKey: WeekKey(tier, week), IdempotencyKey: $"{context.ExecutionId}:{week:yyyy-MM-dd}")
                { ParentExecutionId = context.ExecutionId }, cancellationToken);
                children[child.ExecutionId] = week;
            }
            catch (SpineError error)
            {
                // A week whose file is missing (or refused) fails alone; the other weeks still load.
                failures.Add($"{week:yyyy-MM-dd}: {error.Code}: {error.Message}");
                LogWeekRefused(context.Logger, week, error.Code, error.Message);
            }
        }

        try
        {
            await WaitForChildrenAsync(context, children, weeks.Count, failures, outcome, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The backfill was cancelled: so are the weeks still to run.
            foreach (var childId in children.Keys)
            {
                await CancelQuietlyAsync(childId, context);
            }

            throw;
        }

        outcome.Metrics["weeks"] = weeks.Count;
        outcome.Metrics["weeks_failed"] = failures.Count;
        outcome.Metrics["weeks_completed"] = weeks.Count - failures.Count;
        outcome.Outputs["children"] = string.Join(",", children.Keys);
        if (failures.Count > 0)
        {
            throw new LoadError(ErrorCodes.LoadFailed, $"{failures.Count} of {weeks.Count} weeks failed: {string.Join("; ", failures)}",
                new Dictionary<string, object?> { ["failed_weeks"] = failures });
        }

        return outcome;
    }

    /// <summary>The Fridays from the first on or after <paramref name="start"/> to the last on or before <paramref name="end"/>.</summary>
    public static List<DateOnly> Weeks(DateOnly start, DateOnly end)
    {
        var first = start.AddDays(((int)DayOfWeek.Friday - (int)start.DayOfWeek + 7) % 7);
        var weeks = new List<DateOnly>();
        for (var week = first; week <= end && weeks.Count <= MaxWeeks; week = week.AddDays(7))
        {
            weeks.Add(week);
        }

        return weeks;
    }

    /// <summary>The logical key of one week of one tier: every run that loads the week takes it.</summary>
    public static string WeekKey(OtcTier tier, DateOnly week) => $"{OtcPipelineNames.Domain}:{tier.ToCode()}:{week:yyyy-MM-dd}";

    private static string FileName(string pattern, OtcTier tier, DateOnly week) => pattern
        .Replace("{tier}", tier.ToCode().ToLowerInvariant(), StringComparison.Ordinal)
        .Replace("{publication}", WeekCalendar.RegularPublication(week, tier).ToString("yyyyMMdd", CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private async Task WaitForChildrenAsync(
        PipelineContext context, Dictionary<string, DateOnly> children, int total, List<string> failures, PipelineOutcome outcome, CancellationToken cancellationToken)
    {
        var done = failures.Count;
        context.ReportProgress("wait for weeks", done, total);
        var waiting = children.Keys.ToDictionary(id => id, id => executions.WaitAsync(id, WaitSlice, cancellationToken), StringComparer.Ordinal);
        while (waiting.Count > 0)
        {
            var finished = await Task.WhenAny(waiting.Values);
            var record = await finished;
            if (!record.IsTerminal)
            {
                waiting[record.ExecutionId] = executions.WaitAsync(record.ExecutionId, WaitSlice, cancellationToken);
                continue;
            }

            waiting.Remove(record.ExecutionId);
            done++;
            var week = children[record.ExecutionId];
            if (record.Status != ExecutionStatus.Completed)
            {
                failures.Add($"{week:yyyy-MM-dd}: {record.Status.ToText()} ({record.ExecutionId}): {record.Error?.Code}");
            }
            else if (record.Metrics.TryGetValue("rows", out var rows))
            {
                outcome.Metrics["rows"] = outcome.Metrics.GetValueOrDefault("rows") + rows;
            }

            context.ReportProgress("wait for weeks", done, total);
        }
    }

    private async Task CancelQuietlyAsync(string childId, PipelineContext context)
    {
        try
        {
            await executions.CancelAsync(childId, $"its backfill {context.ExecutionId} was cancelled", CancellationToken.None);
        }
        catch (InvalidStateError)
        {
            // It had already ended.
        }
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Week {Week} was not submitted: {ErrorCode}: {ErrorMessage}")]
    private static partial void LogWeekRefused(ILogger logger, DateOnly week, string errorCode, string errorMessage);
}
