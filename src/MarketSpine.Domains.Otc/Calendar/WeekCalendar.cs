using MarketSpine.Core.Errors;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Calendar;

/// <summary>
/// Which business week a weekly file describes. The file has no week column; its lastUpdateDate
/// is the publication date. FINRA publishes on Monday (Tuesday after a holiday), Tier 1 two
/// weeks after the week ends (week start = publication − 21 days), Tier 2 and OTC four weeks
/// after (− 35 days). Taking "the Friday before publication" mislabels every week, a common
/// mistake. A re-publication can come any weekday months later, so then the week must be given;
/// a Tuesday counts as a regular publication only after a Monday market holiday.
/// </summary>
public static class WeekCalendar
{
    /// <summary>The Friday ending the week that a regular publication on <paramref name="publication"/> covers, or null when the date is not a regular publication day.</summary>
    public static DateOnly? WeekEndingFromPublication(DateOnly publication, OtcTier tier)
    {
        var monday = publication.DayOfWeek switch
        {
            DayOfWeek.Monday => publication,
            // The next business day after a Monday holiday; any other Tuesday is a re-publication.
            DayOfWeek.Tuesday when UsMarketHolidays.IsMondayHoliday(publication.AddDays(-1)) => publication.AddDays(-1),
            _ => (DateOnly?)null,
        };
        return monday?.AddDays(-tier.PublicationLagDays() + 4);
    }

    /// <summary>
    /// The day FINRA regularly publishes the week ending <paramref name="weekEnding"/> (a Friday): the
    /// Monday its lag after, or the Tuesday when that Monday is a market holiday.
    /// </summary>
    public static DateOnly RegularPublication(DateOnly weekEnding, OtcTier tier)
    {
        EnsureFriday(weekEnding, "week_ending");
        var monday = weekEnding.AddDays(tier.PublicationLagDays() - 4);
        return UsMarketHolidays.IsMondayHoliday(monday) ? monday.AddDays(1) : monday;
    }

    /// <summary>
    /// The week of a capture: the requested week when given (checked to be a Friday that ended
    /// before the publication), else derived from the publication date.
    /// </summary>
    public static (DateOnly WeekEnding, WeekSource Source) Resolve(DateOnly? requested, DateOnly publication, OtcTier tier, string sourceName)
    {
        if (requested is { } week)
        {
            EnsureFriday(week, "week_ending");
            if (week >= publication)
            {
                throw new TransformError(ErrorCodes.WeekUndetermined,
                    $"week_ending {week:yyyy-MM-dd} is not before the file's publication date {publication:yyyy-MM-dd} ({sourceName}): FINRA publishes a week after it ends.");
            }

            return (week, WeekSource.Requested);
        }

        return WeekEndingFromPublication(publication, tier) is { } derived
            ? (derived, WeekSource.Publication)
            : throw new TransformError(ErrorCodes.WeekUndetermined,
                $"{sourceName} was published on {publication:yyyy-MM-dd}, a {publication.DayOfWeek}: not a regular Monday publication (nor a Tuesday after a Monday holiday), so it is likely a re-publication of an older week. Pass week_ending=YYYY-MM-DD (the Friday the week ends).",
                new Dictionary<string, object?> { ["source"] = sourceName, ["publication"] = publication.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
    }

    public static void EnsureFriday(DateOnly week, string field)
    {
        if (FridayProblem(week, field) is { } problem)
        {
            throw new ValidationError(problem);
        }
    }

    /// <summary>The problem with a week that does not end on a Friday, or null.</summary>
    public static ValidationProblem? FridayProblem(DateOnly week, string field) =>
        week.DayOfWeek == DayOfWeek.Friday
            ? null
            : new ValidationProblem(field, "NOT_A_FRIDAY",
                $"{field} {week:yyyy-MM-dd} is a {week.DayOfWeek}; FINRA weeks end on a Friday (the nearest is {NearestFriday(week):yyyy-MM-dd}).");

    private static DateOnly NearestFriday(DateOnly date)
    {
        var delta = ((int)DayOfWeek.Friday - (int)date.DayOfWeek + 7) % 7;
        return delta <= 3 ? date.AddDays(delta) : date.AddDays(delta - 7);
    }
}
