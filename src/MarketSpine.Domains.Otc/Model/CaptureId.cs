using System.Globalization;

namespace MarketSpine.Domains.Otc.Model;

/// <summary>
/// A capture's id: <c>{tier}:{week_ending}:{source_update}</c>, such as <c>OTC:2025-11-14:2025-12-15</c>.
/// Readable, unique per publication of a week, and sorted ids sort by week then publication.
/// </summary>
public static class CaptureId
{
    public static string Of(OtcTier tier, DateOnly weekEnding, DateOnly sourceUpdate) =>
        string.Create(CultureInfo.InvariantCulture, $"{tier.ToCode()}:{weekEnding:yyyy-MM-dd}:{sourceUpdate:yyyy-MM-dd}");

    public static bool LooksLikeCaptureId(string text) => text.Count(c => c == ':') == 2;
}
