using System.Globalization;

namespace MarketSpine.Core.Sources;

/// <summary>
/// Database values as the invariant text a file would hold, so <see cref="SourceRecord"/>'s typed
/// getters read a query's row exactly as they read a CSV row.
/// </summary>
internal static class SqlValueText
{
    public static string? Format(object? value) => value switch
    {
        null or DBNull => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        // A date column comes back from most providers as a DateTime at midnight; written as a
        // date, GetDate reads it. UTC instants (timestamptz) keep their time and zone.
        DateTime { TimeOfDay.Ticks: 0, Kind: not DateTimeKind.Utc } date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime { Kind: DateTimeKind.Utc } instant => instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTime local => local.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset instant => instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        TimeOnly time => time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToHexStringLower(bytes),
        // Doubles print the shortest text that reads back to the same value: 9760000000, 1E+20.
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
