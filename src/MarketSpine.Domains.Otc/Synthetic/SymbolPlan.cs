namespace MarketSpine.Domains.Otc.Synthetic;

/// <summary>A symbol before it has a ticker: its volume score (standard normal), venue count and the venue it must list (-1 for none).</summary>
internal sealed record SymbolPlan(double VolumeScore, int VenueCount, int ForcedVenue);
