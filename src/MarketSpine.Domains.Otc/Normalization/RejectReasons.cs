namespace MarketSpine.Domains.Otc.Normalization;

/// <summary>Stable reason codes of rejected rows (stored in <c>otc_rejects.reason_code</c>).</summary>
public static class RejectReasons
{
    /// <summary>FINRA's files hold rows with an empty symbol and name: volume that cannot be attributed.</summary>
    public const string EmptySymbol = "EMPTY_SYMBOL";
    public const string EmptyMpid = "EMPTY_MPID";
    public const string UnknownTier = "UNKNOWN_TIER";
    public const string TierMismatch = "TIER_MISMATCH";

    /// <summary>(symbol, MPID) is unique within one file; a second row for the pair is refused, the first kept.</summary>
    public const string DuplicateKey = "DUPLICATE_KEY";
}
