namespace MarketSpine.Domains.Otc.Synthetic;

/// <summary>
/// Word lists for synthetic venues and issues. The first venues are the ones seen in FINRA's
/// real OTC weekly files (MPID and name as published, ordered by their share volume: OTCN
/// alone holds ~82 %); the rest of a week's 20–60 venues are made up from the same pattern
/// (names start with the MPID). Issue names are assembled from fragments chosen to carry the
/// characters that break naive parsers: commas, <c>$</c>, <c>&amp;</c>, <c>#</c>, runs of spaces.
/// </summary>
internal static class SyntheticVocabulary
{
    public static readonly (string Mpid, string Name)[] RealVenues =
    [
        ("OTCN", "OTCN OTC LINK NQB IDQS"),
        ("OTCX", "OTCX OTC LINK ECN ATS"),
        ("ARCA", "ARCA GLOBAL OTC"),
        ("PPEX", "PPEX NORTH CAPITAL PRIVATE SECURITIES CORPORATION"),
        ("PROS", "PROS TZERO SECURITIES LLC"),
        ("ALTS", "ALTS LODAS SECURITIES ALTERNATIVE TRADING SYSTEM"),
        ("VIAT", "VIAT VARIABLE INVESTMENT ADVISORS, INC."),
        ("SWCL", "SWCL INX SECURITIES, LLC"),
        ("STEN", "STEN STARTENGINE SECONDARY"),
        ("SMKT", "SMKT SECURITIZE MARKETS ATS"),
    ];

    public static readonly string[] VenueWords =
    [
        "NORTHSTAR", "BLUEWATER", "MERIDIAN", "HARBOR", "SUMMIT", "KESTREL", "GRANITE", "BEACON",
        "CARDINAL", "FALCON", "IRONGATE", "LODESTAR", "PINNACLE", "RIVERBEND", "SILVERLINE", "TRIDENT",
        "WESTPORT", "ATLAS", "CLEARWATER", "EVERLY", "HALCYON", "MARLOWE", "OAKRIDGE", "QUARRY",
    ];

    public static readonly string[] VenuePatterns =
    [
        "{0} {1} ATS",
        "{0} SECURITIES, LLC",
        "{0} {1} CROSSING NETWORK",
        "{0} CAPITAL MARKETS, INC.",
        "{0} & CO. ALTERNATIVE TRADING SYSTEM",
        "{0} GLOBAL OTC",
        "{0} {1} LLC",
        "{0} BLOCK LIQUIDITY ECN",
    ];

    /// <summary>First words of issuer names, so a name can start with its ticker's letter.</summary>
    public static readonly string[] IssuerFirstWords =
    [
        "Asia", "Apex", "Arbor", "Aurora", "Blue", "Boreal", "Brightstar", "Bayside", "Cascade", "Crown", "Coastal",
        "Delta", "Dunmore", "Desert", "Evergreen", "Eastgate", "Emerald", "Falcon", "Frontier", "Fairview", "Golden",
        "Granite", "Greenfield", "Harbor", "Highland", "Horizon", "Ironwood", "Isle Royale", "Indigo", "Jade", "Juniper",
        "Jasper", "Keystone", "Kingsway", "Kodiak", "Lakeshore", "Lumen", "Liberty", "Meridian", "Mosaic", "Maple",
        "Northern", "Nova Scotia", "Nexus", "Orion", "Oakmont", "Ocean", "Pacific Rim", "Pinnacle", "Prairie", "Quantum",
        "Quarry Hill", "Quest", "Redwood", "Riverside", "Regal", "Silver Bull", "Sterling", "Summit", "Titan", "Tidewater",
        "Trinity", "Unity", "Uplands", "Ultra", "Vertex", "Valhalla", "Vista", "Westbridge", "Windmere", "Wolverine",
        "Xenon", "Xcel", "Yellowknife", "Yarra Valley", "Yukon", "Zenith", "Zephyr", "Zion",
    ];

    public static readonly string[] IssuerIndustries =
    [
        "Broadband", "Minerals", "Energy", "Biosciences", "Timber", "Therapeutics", "Realty", "Rail", "Pharma", "Gold",
        "Rare Earths & Uranium", "Copper", "Foods", "Lithium", "Brands", "Bancorp", "Solar", "Oil & Gas", "Health",
        "Silver", "Semiconductor", "Water", "Cobalt", "Graphite", "Communications", "Power", "Helium", "Logistics",
        "Shipping", "Agri", "Diagnostics", "Steel", "Capital", "Estates", "Labs", "Mines", "Wines", "Aerospace", "Wind",
        "Resources", "Technologies", "Holdings", "Bio", "Media & Entertainment", "Ventures",
    ];

    public static readonly string[] CorporateSuffixes =
    [
        "Inc", "Inc.", ", Inc.", "Corp", "Corporation", "Ltd", "Ltd.", "Co., Ltd.", "PLC", "S.A.", "AG", "N.V.",
        "Group Holdings Ltd", "HLDGS LTD", "ASA", "Limited",
    ];

    public static readonly string[] DomesticTypes =
    [
        "Common Stock", "Common Stock", "Common Stock", "Com Par $0.001", "Com Par $0.0001", "Class A Common Stock",
        "Preferred Stock Series A", "Units", "Shares of Beneficial Interest", "Common Stock (New)",
    ];

    public static readonly string[] AdrTypes =
    [
        "Sponsored ADR (Japan)", "American Depositary Receipts - Unsponsored", "Unsponsored ADR (Cayman Islands)",
        "SPONSORED ADR (Australia)", "American Depositary Shares", "Sponsored American Depository Receipt (Hong Kong)",
    ];

    public static readonly string[] ForeignTypes =
    [
        "Ordinary Shares", "Ordinary Shares", "COM (Canada)", "Ordinary Shares (Bermuda)", "Common Shares (Australia)",
    ];
}
