using System.Globalization;
using MarketSpine.Core.Errors;

namespace MarketSpine.Api.Executions;

/// <summary>Reads the query-string filters the list endpoints share: instants and page sizes.</summary>
public static class ListFilters
{
    /// <summary>An ISO 8601 instant (a date alone is its midnight, UTC); null when absent.</summary>
    public static DateTimeOffset? Instant(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : throw new ValidationError(new ValidationProblem(field, "malformed", $"{field} must be an ISO 8601 date or time, such as 2026-11-20 or 2026-11-20T14:00:00Z (got '{text}')."));
    }

    /// <summary>The page size asked for, or the default; refused beyond the server's maximum.</summary>
    public static int Limit(int? limit, int fallback, int maximum) => limit switch
    {
        null => fallback,
        >= 1 when limit <= maximum => limit.Value,
        _ => throw new ValidationError(new ValidationProblem("limit", "out_of_range", $"limit must be between 1 and {maximum} (got {limit})."))
    };
}
