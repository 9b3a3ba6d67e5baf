using MarketSpine.Api.DeadLetters;
using MarketSpine.Api.Errors;
using MarketSpine.Api.Executions;
using MarketSpine.Api.Health;
using MarketSpine.Api.LogicalKeys;
using MarketSpine.Api.Metrics;
using MarketSpine.Api.Pipelines;
using MarketSpine.Api.Queries;
using MarketSpine.Core.Errors;

namespace MarketSpine.Api.Hosting;

public static class ApiApplicationExtensions
{
    /// <summary>
    /// Maps every endpoint: <c>/v1/...</c>, the health endpoints, the OpenAPI document at
    /// <c>/openapi/v1.json</c> and Swagger UI at <c>/docs</c>; and the middleware that answers every
    /// failure, including unknown routes and methods, with the error envelope.
    /// </summary>
    public static WebApplication MapSpineApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var metrics = app.Services.GetRequiredService<ApiMetrics>();
        // Listening from the start, not from the first scrape: a counter counts what happened before it.
        app.Services.GetRequiredService<PrometheusExporter>();
        app.Use((context, next) => metrics.InvokeAsync(context, next));
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => AnswerBareStatusAsync(context.HttpContext));

        var v1 = app.MapGroup("/v1");
        PipelineEndpoints.Map(v1);
        ExecutionEndpoints.Map(v1);
        DeadLetterEndpoints.Map(v1);
        LogicalKeyEndpoints.Map(v1);
        QueryEndpoints.Map(v1);
        HealthEndpoints.Map(app, v1);

        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(swagger =>
        {
            swagger.RoutePrefix = "docs";
            swagger.SwaggerEndpoint("/openapi/v1.json", "Market Spine API v1");
            swagger.DocumentTitle = "Market Spine API";
        });
        return app;
    }

    /// <summary>A status the framework set without a body (no route, wrong method, body too large): the envelope says which.</summary>
    private static Task AnswerBareStatusAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var (code, message) = status switch
        {
            StatusCodes.Status404NotFound => (ErrorCodes.NotFound, $"No resource at {context.Request.Path}; the API lives under /v1 (see /openapi/v1.json)."),
            StatusCodes.Status405MethodNotAllowed => (ErrorCodes.MethodNotAllowed, $"{context.Request.Method} is not allowed on {context.Request.Path}."),
            StatusCodes.Status413PayloadTooLarge => (ErrorCodes.PayloadTooLarge, "The request body is over the server's limit."),
            StatusCodes.Status415UnsupportedMediaType => (ErrorCodes.UnsupportedMediaType, "The request body must be JSON (Content-Type: application/json)."),
            >= 500 => (ErrorCodes.Internal, "An internal error occurred; it is in the server's log."),
            _ => (ErrorCodes.ValidationFailed, "The request is not valid."),
        };
        return ApiResults.WriteErrorAsync(context, status, ErrorInfo.Of(code, message), context.RequestAborted);
    }
}
