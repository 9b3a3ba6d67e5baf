namespace MarketSpine.Domains.Otc.Queries;

/// <summary>The answer of <c>GET /v1/query/weeks</c>: which capture was read (<c>latest</c>, a date or a capture id) and the weeks.</summary>
public sealed record WeekList(string AsOf, IReadOnlyList<WeekOverview> Weeks);
