using System.Globalization;
using MarketSpine.Core.Quality;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Calculations;

/// <summary>The quality gates of a week: data present, no negative volumes, venue shares summing to 100 %.</summary>
public static class OtcQualityChecks
{
    /// <summary>How far the shares may sum from 100: four-decimal rounding of tens of venues stays far inside it.</summary>
    public const decimal ShareSumTolerance = 0.01m;

    public static QualityResult RowsPresent(long acceptedRows, string captureId) =>
        acceptedRows > 0
            ? QualityResult.Pass("rows_present", $"{acceptedRows:N0} accepted rows in {captureId}")
            : QualityResult.Fail("rows_present", $"no accepted rows in {captureId}: the file is empty or every row was rejected");

    public static QualityResult NoNegativeVolumes(long negativeRows, long? firstLine, string captureId) =>
        negativeRows == 0
            ? QualityResult.Pass("no_negative_volumes", "no negative share or trade counts")
            : QualityResult.Fail("no_negative_volumes",
                string.Create(CultureInfo.InvariantCulture, $"{negativeRows:N0} rows of {captureId} have a negative share or trade count, first at source line {firstLine}"));

    public static QualityResult SharesSumTo100(IReadOnlyList<VenueShare> venues)
    {
        var sum = venues.Sum(v => v.SharePercent);
        var message = string.Create(CultureInfo.InvariantCulture, $"venue shares sum to {sum:0.0000} % over {venues.Count} venues");
        return Math.Abs(sum - 100m) <= ShareSumTolerance
            ? QualityResult.Pass("shares_sum_to_100", message)
            : QualityResult.Fail("shares_sum_to_100", message + $" (tolerance {ShareSumTolerance} %)");
    }

    /// <summary>Reported, not a gate: empty-symbol rows are a known quirk of real files.</summary>
    public static QualityResult RejectRate(long accepted, long rejected)
    {
        var total = accepted + rejected;
        var rate = total == 0 ? 0 : 100.0 * rejected / total;
        return new QualityResult("reject_rate", true,
            string.Create(CultureInfo.InvariantCulture, $"{rejected:N0} of {total:N0} rows rejected ({rate:0.00} %)"), IsGate: false);
    }
}
