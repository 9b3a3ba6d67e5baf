namespace MarketSpine.Domains.Otc.Synthetic;

/// <summary>What to generate: the same options always give the same bytes.</summary>
/// <param name="Seed">Drives every choice; same seed, same file.</param>
/// <param name="RowCount">Exact number of data rows (empty-symbol rows included).</param>
/// <param name="Tier"><c>NMS Tier 1</c>, <c>NMS Tier 2</c> or <c>OTC</c> (see <see cref="SyntheticWeekGenerator.Tiers"/>).</param>
/// <param name="LastUpdateDate">The publication date written on every row.</param>
public sealed record SyntheticWeekOptions(int Seed, int RowCount, string Tier, DateOnly LastUpdateDate)
{
    /// <summary>Number of venues (1–200); null picks 20–60 from the seed.</summary>
    public int? VenueCount { get; init; }

    /// <summary>Rows with an empty symbol and name, written last as FINRA does; null picks 1–3 when there are at least 100 rows.</summary>
    public int? EmptySymbolRows { get; init; }

    /// <summary>False drops the newline after the last row, as some real files do.</summary>
    public bool FinalNewline { get; init; } = true;
}
