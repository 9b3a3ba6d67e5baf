using System.Text;

namespace MarketSpine.Domains.Otc.Tests.Flow;

/// <summary>Small weekly files in FINRA's format, written by hand so every figure is checkable.</summary>
internal static class WeekFiles
{
    public const string Header = "tierDescription|issueSymbolIdentifier|issueName|marketParticipantName|MPID|totalWeeklyShareQuantity|totalWeeklyTradeCount|lastUpdateDate";

    /// <summary>
    /// OTC, published Monday 2025-12-15 (week ending 2025-11-14): 1,000 shares; OTCN 800 (80 %),
    /// ARCA 100, OTCX 100; one empty-symbol row that the normalizer rejects.
    /// </summary>
    public static string Original(string published = "2025-12-15") => Lines(
        $"OTC|AAA|AAA Corp|OTCN OTC LINK NQB IDQS|OTCN|500|5|{published}",
        $"OTC|AAA|AAA Corp|OTCX OTC LINK ECN ATS|OTCX|100|2|{published}",
        $"OTC|BBB|BBB, Inc.  Common|ARCA GLOBAL OTC|ARCA|100|1|{published}",
        $"OTC|BBB|BBB, Inc.  Common|OTCN OTC LINK NQB IDQS|OTCN|300|3|{published}",
        $"OTC|||OTCN OTC LINK NQB IDQS|OTCN|7|1|{published}");

    /// <summary>
    /// A re-publication of the same week on Tuesday 2026-02-10: AAA at OTCN revised to 600,
    /// BBB at ARCA removed, CCC at OTCX added.
    /// </summary>
    public static string Republished() => Lines(
        "OTC|AAA|AAA Corp|OTCN OTC LINK NQB IDQS|OTCN|600|6|2026-02-10",
        "OTC|AAA|AAA Corp|OTCX OTC LINK ECN ATS|OTCX|100|2|2026-02-10",
        "OTC|BBB|BBB, Inc.  Common|OTCN OTC LINK NQB IDQS|OTCN|300|3|2026-02-10",
        "OTC|CCC|CCC Holdings|OTCX OTC LINK ECN ATS|OTCX|50|1|2026-02-10");

    public static string Lines(params string[] rows)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var row in rows)
        {
            text.Append(row).Append('\n');
        }

        return text.ToString();
    }
}
