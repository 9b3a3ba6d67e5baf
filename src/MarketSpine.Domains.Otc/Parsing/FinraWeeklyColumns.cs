namespace MarketSpine.Domains.Otc.Parsing;

/// <summary>
/// Column names of FINRA's weekly OTC transparency download. Columns are located by these
/// names, not by position, because FINRA has reordered and added columns between exports.
/// </summary>
public static class FinraWeeklyColumns
{
    public const string TierDescription = "tierDescription";
    public const string IssueSymbolIdentifier = "issueSymbolIdentifier";
    public const string IssueName = "issueName";
    public const string MarketParticipantName = "marketParticipantName";
    public const string Mpid = "MPID";
    public const string TotalWeeklyShareQuantity = "totalWeeklyShareQuantity";
    public const string TotalWeeklyTradeCount = "totalWeeklyTradeCount";
    public const string LastUpdateDate = "lastUpdateDate";

    /// <summary>The header of the current pipe-delimited download, in FINRA's order.</summary>
    public const string CanonicalHeader =
        "tierDescription|issueSymbolIdentifier|issueName|marketParticipantName|MPID|totalWeeklyShareQuantity|totalWeeklyTradeCount|lastUpdateDate";

    /// <summary>The required columns in FINRA's order; also the order <see cref="FinraWeeklyRow.ToRawLine"/> writes.</summary>
    public static IReadOnlyList<string> Required { get; } =
    [
        TierDescription,
        IssueSymbolIdentifier,
        IssueName,
        MarketParticipantName,
        Mpid,
        TotalWeeklyShareQuantity,
        TotalWeeklyTradeCount,
        LastUpdateDate,
    ];
}
