namespace MarketSpine.Domains.Otc.Synthetic;

/// <summary>
/// How rows spread per tier. The OTC numbers are fitted to FINRA's real OTC files (per symbol:
/// 1 venue 47 %, 2 venues 22 %, 3 venues 21 %; per row: median ~4,000 shares over six decades).
/// The NMS tiers have no sample file here; they get more venues per symbol and larger volumes,
/// as NMS stocks trade on many ATSs, which is a guess at shape, not a fit.
/// </summary>
internal sealed record SyntheticTierShape(string Tier, double SymbolLog10Mean, double SymbolLog10Sigma, int VenueBonusPerSigma)
{
    public static SyntheticTierShape For(string tier) => tier switch
    {
        SyntheticWeekGenerator.NmsTier1 => new SyntheticTierShape(tier, 5.4, 1.0, 3),
        SyntheticWeekGenerator.NmsTier2 => new SyntheticTierShape(tier, 4.6, 1.1, 2),
        _ => new SyntheticTierShape(tier, 4.1, 1.1, 1),
    };

    /// <summary>Venues of a symbol before the popularity bonus.</summary>
    public int BaseVenueCount(DeterministicRandom random)
    {
        switch (Tier)
        {
            case SyntheticWeekGenerator.NmsTier1:
                return random.Next(3, 15);
            case SyntheticWeekGenerator.NmsTier2:
                return random.Next(1, 8);
            default:
                var u = random.NextDouble();
                return u < 0.50 ? 1 : u < 0.73 ? 2 : u < 0.93 ? 3 : random.Next(4, 7);
        }
    }

    /// <summary>Popular symbols (high volume score <paramref name="z"/>) trade on more venues.</summary>
    public int VenueBonus(double z) => z <= 1.5 ? 0 : (int)((z - 1.5) * VenueBonusPerSigma) + 1;
}
