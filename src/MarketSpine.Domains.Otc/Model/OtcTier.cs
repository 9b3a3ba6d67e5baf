namespace MarketSpine.Domains.Otc.Model;

/// <summary>FINRA's transparency tiers. Stored and passed as <c>NMS_TIER_1</c>, <c>NMS_TIER_2</c>, <c>OTC</c>.</summary>
public enum OtcTier
{
    NmsTier1,
    NmsTier2,
    Otc,
}
