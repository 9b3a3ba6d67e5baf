using System.Text.Json;
using MarketSpine.Core.Errors;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MarketSpine.Api.Errors;

/// <summary>Writes the error envelope, for the exception handler and for answers the framework makes without one (404, 405, 413).</summary>
public static class ApiResults
{
    public static Task WriteErrorAsync(HttpContext httpContext, int status, ErrorInfo error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        var json = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return JsonSerializer.SerializeAsync(httpContext.Response.Body, new ApiErrorResponse(error), json, cancellationToken);
    }

    /// <summary>An error answer for an endpoint to return (rather than throw), with its status from the code.</summary>
    public static IResult Error(string code, string message, IReadOnlyDictionary<string, object?>? details = null) =>
        TypedResults.Json(new ApiErrorResponse(new ErrorInfo(code, message, details ?? new Dictionary<string, object?>())), statusCode: ErrorStatus.Of(code));
}
