using System.Globalization;
using MarketSpine.Core.Errors;

namespace MarketSpine.Cli.Commands;

/// <summary>Durations and points in time as the options take them: <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>7d</c>, or a date.</summary>
public static class Durations
{
    /// <summary>A positive span: a number and a unit (s, m, h, d), or hh:mm:ss.</summary>
    public static TimeSpan Parse(string option, string text)
    {
        if (TryParseSpan(text, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        if (TimeSpan.TryParseExact(text, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var clock) && clock > TimeSpan.Zero)
        {
            return clock;
        }

        throw new ValidationError(new ValidationProblem(option, "INVALID_DURATION", $"{option} '{text}' is not a duration such as 90s, 30m, 2h or 01:30:00."));
    }

    /// <summary>An ISO date (midnight UTC), or a span back from now (<c>7d</c>, <c>12h</c>, <c>30m</c>); null when empty.</summary>
    public static DateTimeOffset? ParseInstant(string option, string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        if (TryParseSpan(text, out var back) && !text.EndsWith('s'))
        {
            return now - back;
        }

        throw new ValidationError(new ValidationProblem(option, option == "--since" ? "INVALID_SINCE" : "INVALID_INSTANT",
            $"{option} '{text}' is neither a date (yyyy-MM-dd) nor a span such as 7d, 12h or 30m."));
    }

    private static bool TryParseSpan(string text, out TimeSpan span)
    {
        span = default;
        if (text.Length < 2 || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        TimeSpan? parsed = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
        span = parsed ?? default;
        return parsed is not null;
    }
}
