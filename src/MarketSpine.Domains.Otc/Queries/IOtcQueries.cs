using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Queries;

/// <summary>
/// The OTC domain's read side: weeks, ranked symbols and venues, captures and their differences,
/// each as of a capture. <see cref="OtcQueryService"/> reads the store; the CLI's <c>--server</c> mode
/// reads the REST API, so both print the same things.
/// </summary>
public interface IOtcQueries
{
    Task<IReadOnlyList<WeekOverview>> WeeksAsync(OtcTier? tier, AsOf asOf, CancellationToken cancellationToken);

    Task<CapturePage<RankedSymbol>> SymbolsAsync(DateOnly? weekEnding, OtcTier? tier, AsOf asOf, int top, int offset, CancellationToken cancellationToken);

    Task<CapturePage<VenueShare>> VenuesAsync(DateOnly? weekEnding, OtcTier? tier, AsOf asOf, int top, int offset, CancellationToken cancellationToken);

    Task<IReadOnlyList<Capture>> CapturesAsync(DateOnly? weekEnding, OtcTier? tier, CancellationToken cancellationToken);

    Task<CaptureDiff> DiffAsync(string fromId, string toId, CancellationToken cancellationToken);
}
