using System.Globalization;
using MarketSpine.Core.Errors;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Queries;

/// <summary>
/// Which capture a query reads: by default each week's newest summarized publication; with a
/// date, the newest published (lastUpdateDate) on or before it, as the market knew it then;
/// with a capture id, exactly that capture.
/// </summary>
public sealed record AsOf(string? CaptureId, DateOnly? PublishedOnOrBefore)
{
    public static AsOf Latest { get; } = new(null, null);

    /// <summary>Parses <c>--as-of</c>: empty or <c>latest</c>, a date <c>yyyy-MM-dd</c>, or a capture id.</summary>
    public static AsOf Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || string.Equals(text, "latest", StringComparison.OrdinalIgnoreCase))
        {
            return Latest;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new AsOf(null, date);
        }

        if (Model.CaptureId.LooksLikeCaptureId(text))
        {
            return new AsOf(text, null);
        }

        throw new ValidationError(new ValidationProblem("as_of", "INVALID_AS_OF",
            $"as_of '{text}' is neither a date (yyyy-MM-dd), 'latest', nor a capture id such as {Model.CaptureId.Of(OtcTier.Otc, new DateOnly(2025, 11, 14), new DateOnly(2025, 12, 15))}."));
    }

    public override string ToString() =>
        CaptureId ?? (PublishedOnOrBefore is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "latest");
}
