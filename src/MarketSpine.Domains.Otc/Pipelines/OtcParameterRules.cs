using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;
using MarketSpine.Domains.Otc.Calendar;

namespace MarketSpine.Domains.Otc.Pipelines;

/// <summary>Rules the OTC pipelines' parameters share beyond their types: a week ends on a Friday.</summary>
internal static class OtcParameterRules
{
    public static IEnumerable<ValidationProblem> Check(PipelineParameters parameters)
    {
        if (parameters.GetDateOrNull("week_ending") is { } week && WeekCalendar.FridayProblem(week, "week_ending") is { } problem)
        {
            yield return problem;
        }
    }
}
