using MarketSpine.Api.Errors;
using MarketSpine.Api.Hosting;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MarketSpine.Api.Queries;

/// <summary>
/// <c>/v1/query</c> and <c>/v1/captures</c>: the OTC domain's read side, through its query layer.
/// Every query reads one capture of a week: the newest by default, or as of a date or a capture id.
/// </summary>
public static class QueryEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var query = v1.MapGroup("/query").WithTags("Queries");
        query.MapGet("/weeks", Weeks).WithName("QueryWeeks").WithSummary("The weeks held, each through the capture read (newest, or as of).")
            .Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest);
        query.MapGet("/symbols", Symbols).WithName("QuerySymbols").WithSummary("A week's symbols ranked by share volume (the newest week when omitted).")
            .Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound);
        query.MapGet("/venues", Venues).WithName("QueryVenues").WithSummary("A week's venues (MPIDs) ranked by share volume, with market share.")
            .Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound);

        var captures = v1.MapGroup("/captures").WithTags("Captures");
        captures.MapGet("/", Captures).WithName("ListCaptures").WithSummary("Every publication held, per week and tier.")
            .Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest);
        captures.MapGet("/diff", Diff).WithName("DiffCaptures").WithSummary("What changed between two publications of one week (from, to: capture ids); the largest top changes, or all.")
            .Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<WeekList>> Weeks(string? tier, [FromQuery(Name = "as_of")] string? asOf, OtcQueryService queries, CancellationToken cancellationToken)
    {
        var at = QueryArguments.AsOf(asOf);
        return TypedResults.Ok(new WeekList(at.ToString(), await queries.WeeksAsync(QueryArguments.Tier(tier), at, cancellationToken)));
    }

    private static async Task<Ok<CapturePage<RankedSymbol>>> Symbols(
        DateOnly? week, string? tier, [FromQuery(Name = "as_of")] string? asOf, int? top, int? offset, OtcQueryService queries, ApiOptions options,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.SymbolsAsync(week, QueryArguments.Tier(tier), QueryArguments.AsOf(asOf), QueryArguments.Top(top, options.MaxPageSize),
            QueryArguments.Offset(offset), cancellationToken));

    private static async Task<Ok<CapturePage<VenueShare>>> Venues(
        DateOnly? week, string? tier, [FromQuery(Name = "as_of")] string? asOf, int? top, int? offset, OtcQueryService queries, ApiOptions options,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.VenuesAsync(week, QueryArguments.Tier(tier), QueryArguments.AsOf(asOf), QueryArguments.Top(top, options.MaxPageSize),
            QueryArguments.Offset(offset), cancellationToken));

    private static async Task<Ok<CaptureList>> Captures(DateOnly? week, string? tier, OtcQueryService queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CaptureList(await queries.CapturesAsync(week, QueryArguments.Tier(tier), cancellationToken)));

    private static async Task<Ok<CaptureDiff>> Diff(string from, string to, int? top, OtcQueryService queries, ApiOptions options, CancellationToken cancellationToken)
    {
        var diff = await queries.DiffAsync(from, to, cancellationToken);
        // Without top, every change (a week holds some thousands of rows at most), largest first.
        return top is null ? TypedResults.Ok(diff) : TypedResults.Ok(diff with { Changes = [.. diff.Changes.Take(QueryArguments.Top(top, options.MaxPageSize))] });
    }
}
