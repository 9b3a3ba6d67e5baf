using MarketSpine.Core.Contracts;
using MarketSpine.Api.Errors;
using MarketSpine.Core.Registry;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketSpine.Api.Pipelines;

/// <summary><c>/v1/pipelines</c>: what can be run, and with which parameters.</summary>
public static class PipelineEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var group = v1.MapGroup("/pipelines").WithTags("Pipelines");
        group.MapGet("/", List).WithName("ListPipelines").WithSummary("The registered pipelines.");
        group.MapGet("/{name}", Get).WithName("GetPipeline").WithSummary("One pipeline with its parameter spec.")
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound);
    }

    private static Ok<PipelineList> List(PipelineRegistry registry) => TypedResults.Ok(new PipelineList([.. registry.List().Select(PipelineView.From)]));

    private static Ok<PipelineDetailView> Get(string name, PipelineRegistry registry) => TypedResults.Ok(PipelineDetailView.From(registry.Get(name)));
}
