using MarketSpine.Api.Errors;
using MarketSpine.Api.Executions;
using MarketSpine.Api.Hosting;
using MarketSpine.Core.Contracts;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Grains.Dispatch;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketSpine.Api.DeadLetters;

/// <summary><c>/v1/dead-letters</c>: executions that used up their attempts; inspect, retry, discard.</summary>
public static class DeadLetterEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var group = v1.MapGroup("/dead-letters").WithTags("Dead letters");
        group.MapGet("/", List).WithName("ListDeadLetters").WithSummary("Dead letters, newest first (status: open by default, retried, discarded or all); cursor paging.")
            .Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest);
        group.MapGet("/{id}", Get).WithName("GetDeadLetter").WithSummary("One dead letter with the execution's last error.")
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/retry", Retry).WithName("RetryDeadLetter")
            .WithSummary("Run the dead letter's pipeline again as a new execution linked to the dead one (202, as a submission).")
            .Produces<SubmitAccepted>(StatusCodes.Status202Accepted)
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ApiErrorResponse>(StatusCodes.Status409Conflict)
            .Produces<ApiErrorResponse>(StatusCodes.Status429TooManyRequests);
        group.MapPost("/{id}/discard", Discard).WithName("DiscardDeadLetter").WithSummary("Mark the dead letter discarded: it will not be retried.")
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ApiErrorResponse>(StatusCodes.Status409Conflict);
    }

    private static async Task<Ok<DeadLetterPage>> List(
        string? status, string? pipeline, string? cursor, int? limit, ExecutionDispatcher dispatcher, ApiOptions options, CancellationToken cancellationToken)
    {
        DeadLetterStatus? filter = status?.ToLowerInvariant() switch
        {
            null or "open" => DeadLetterStatus.Open,
            "retried" => DeadLetterStatus.Retried,
            "discarded" => DeadLetterStatus.Discarded,
            "all" => null,
            _ => throw new ValidationError(new Core.Errors.ValidationProblem("status", "not_allowed", $"status '{status}' is not one of open, retried, discarded, all.")),
        };
        var pageSize = ListFilters.Limit(limit, options.DefaultPageSize, options.MaxPageSize);
        var rows = await dispatcher.ListDeadLettersAsync(new DeadLetterQuery(filter, pipeline, pageSize + 1, cursor), cancellationToken);
        var page = rows.Take(pageSize).ToList();
        return TypedResults.Ok(new DeadLetterPage([.. page.Select(DeadLetterView.From)], rows.Count > pageSize ? page[^1].DeadLetterId : null));
    }

    private static async Task<Ok<DeadLetterView>> Get(string id, ExecutionDispatcher dispatcher, CancellationToken cancellationToken) =>
        TypedResults.Ok(DeadLetterView.From(await dispatcher.GetDeadLetterAsync(id, cancellationToken)));

    private static async Task<Accepted<SubmitAccepted>> Retry(string id, ExecutionDispatcher dispatcher, CancellationToken cancellationToken)
    {
        var retried = await dispatcher.RetryDeadLetterAsync(id, cancellationToken);
        return TypedResults.Accepted(ExecutionLinks.Self(retried.ExecutionId), SubmitAccepted.For(retried.ExecutionId, retried.Status.ToText()));
    }

    private static async Task<Ok<DeadLetterView>> Discard(string id, ExecutionDispatcher dispatcher, CancellationToken cancellationToken) =>
        TypedResults.Ok(DeadLetterView.From(await dispatcher.DiscardDeadLetterAsync(id, cancellationToken)));
}
