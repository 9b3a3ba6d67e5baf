namespace MarketSpine.Domains.Otc.Synthetic;

/// <summary>A venue of a synthetic week: its MPID, its <c>marketParticipantName</c> and its rank (0 = the dominant venue).</summary>
public sealed record SyntheticVenue(string Mpid, string Name, int Rank);
