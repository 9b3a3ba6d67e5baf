using System.Globalization;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Queries;

namespace MarketSpine.Cli.Remote;

/// <summary>The OTC queries of a remote server, over its REST API (<c>spine --server URL query ...</c>).</summary>
public sealed class HttpOtcQueries(RemoteServer server) : IOtcQueries
{
    public async Task<IReadOnlyList<WeekOverview>> WeeksAsync(OtcTier? tier, AsOf asOf, CancellationToken cancellationToken) =>
        (await server.GetAsync<WeekList>(Path("/v1/query/weeks", null, tier, asOf), cancellationToken)).Weeks;

    public Task<CapturePage<RankedSymbol>> SymbolsAsync(DateOnly? weekEnding, OtcTier? tier, AsOf asOf, int top, int offset, CancellationToken cancellationToken) =>
        server.GetAsync<CapturePage<RankedSymbol>>(Path("/v1/query/symbols", weekEnding, tier, asOf, $"top={top}", $"offset={offset}"), cancellationToken);

    public Task<CapturePage<VenueShare>> VenuesAsync(DateOnly? weekEnding, OtcTier? tier, AsOf asOf, int top, int offset, CancellationToken cancellationToken) =>
        server.GetAsync<CapturePage<VenueShare>>(Path("/v1/query/venues", weekEnding, tier, asOf, $"top={top}", $"offset={offset}"), cancellationToken);

    public async Task<IReadOnlyList<Capture>> CapturesAsync(DateOnly? weekEnding, OtcTier? tier, CancellationToken cancellationToken) =>
        (await server.GetAsync<CaptureList>(Path("/v1/captures", weekEnding, tier, null), cancellationToken)).Captures;

    /// <summary>Every change (no <c>top</c>): the CLI shows the top ones itself, as it does on a local database.</summary>
    public Task<CaptureDiff> DiffAsync(string fromId, string toId, CancellationToken cancellationToken) =>
        server.GetAsync<CaptureDiff>($"/v1/captures/diff?from={Uri.EscapeDataString(fromId)}&to={Uri.EscapeDataString(toId)}", cancellationToken);

    private static string Path(string path, DateOnly? weekEnding, OtcTier? tier, AsOf? asOf, params string[] more)
    {
        var parameters = new List<string>(more);
        if (weekEnding is { } week)
        {
            parameters.Add($"week={week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        }

        if (tier is { } t)
        {
            parameters.Add($"tier={t.ToCode()}");
        }

        if (asOf is not null && asOf != AsOf.Latest)
        {
            parameters.Add($"as_of={Uri.EscapeDataString(asOf.ToString())}");
        }

        return parameters.Count == 0 ? path : $"{path}?{string.Join('&', parameters)}";
    }
}
