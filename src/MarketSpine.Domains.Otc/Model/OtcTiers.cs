namespace MarketSpine.Domains.Otc.Model;

/// <summary>The spellings of a tier: our code, the file's <c>tierDescription</c>, and FINRA's API identifier.</summary>
public static class OtcTiers
{
    /// <summary>The parameter values pipelines accept, in display order.</summary>
    public static readonly string[] Codes = ["NMS_TIER_1", "NMS_TIER_2", "OTC"];

    public static string ToCode(this OtcTier tier) => tier switch
    {
        OtcTier.NmsTier1 => "NMS_TIER_1",
        OtcTier.NmsTier2 => "NMS_TIER_2",
        OtcTier.Otc => "OTC",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    public static string ToFileDescription(this OtcTier tier) => tier switch
    {
        OtcTier.NmsTier1 => "NMS Tier 1",
        OtcTier.NmsTier2 => "NMS Tier 2",
        OtcTier.Otc => "OTC",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    public static OtcTier FromCode(string code) => TryParse(code, out var tier)
        ? tier
        : throw new ArgumentException($"Unknown tier '{code}'; expected one of {string.Join(", ", Codes)}.", nameof(code));

    /// <summary>
    /// Accepts our codes, the file's descriptions and the API's identifiers (<c>T1</c>, <c>T2</c>,
    /// <c>OTCE</c>), ignoring case, spaces and underscores.
    /// </summary>
    public static bool TryParse(string? text, out OtcTier tier)
    {
        var canonical = new string((text ?? "").Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        switch (canonical)
        {
            case "NMSTIER1" or "T1" or "TIER1":
                tier = OtcTier.NmsTier1;
                return true;
            case "NMSTIER2" or "T2" or "TIER2":
                tier = OtcTier.NmsTier2;
                return true;
            case "OTC" or "OTCE":
                tier = OtcTier.Otc;
                return true;
            default:
                tier = default;
                return false;
        }
    }

    /// <summary>How long after a week starts FINRA publishes it: two weeks after it ends for Tier 1, four for the others.</summary>
    public static int PublicationLagDays(this OtcTier tier) => tier == OtcTier.NmsTier1 ? 21 : 35;
}
