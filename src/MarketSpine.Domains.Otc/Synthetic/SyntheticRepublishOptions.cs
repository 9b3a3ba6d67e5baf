namespace MarketSpine.Domains.Otc.Synthetic;

/// <summary>How a re-publication of a synthetic week differs from the original.</summary>
/// <param name="Seed">Drives which rows change; independent of the original's seed.</param>
/// <param name="LastUpdateDate">The re-publication's date; must be after the original's.</param>
public sealed record SyntheticRepublishOptions(int Seed, DateOnly LastUpdateDate)
{
    /// <summary>Share of the original rows whose share and trade counts change.</summary>
    public double ChangedFraction { get; init; } = 0.05;

    /// <summary>Share of the original rows that disappear.</summary>
    public double RemovedFraction { get; init; } = 0.01;

    /// <summary>New (symbol, venue) rows, as a share of the original row count; symbols and venues stay the original's.</summary>
    public double AddedFraction { get; init; } = 0.01;

    /// <summary>Null keeps the original's choice.</summary>
    public bool? FinalNewline { get; init; }
}
