using MarketSpine.Actors.Errors;
using MarketSpine.Core.Errors;

namespace MarketSpine.Api.Errors;

/// <summary>Which HTTP status an error is answered with, and what a client is told about it.</summary>
public static partial class ErrorStatus
{
    /// <summary>The status and the error a client sees for <paramref name="exception"/>; never a stack trace.</summary>
    public static (int Status, ErrorInfo Error) Describe(Exception exception) => exception switch
    {
        ValidationError error => (StatusCodes.Status400BadRequest, error.ToInfo()),
        NotFoundError error => (StatusCodes.Status404NotFound, error.ToInfo()),
        InvalidStateError error => (StatusCodes.Status409Conflict, error.ToInfo()),
        ConflictError error => (StatusCodes.Status409Conflict, error.ToInfo()),
        BusyError error => (StatusCodes.Status429TooManyRequests, error.ToInfo()),
        // Other expected failures (a source that cannot be read while validating, say) are the request's fault.
        SpineError error => (StatusCodes.Status422UnprocessableEntity, error.ToInfo()),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge,
            ErrorInfo.Of(ErrorCodes.PayloadTooLarge, "The request body is over the server's limit.")),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => (StatusCodes.Status415UnsupportedMediaType,
            ErrorInfo.Of(ErrorCodes.UnsupportedMediaType, "The request body must be JSON (Content-Type: application/json).")),
        BadHttpRequestException bad => (StatusCodes.Status400BadRequest, BadRequest(bad)),
        SiloUnavailableException or GrainCallTimeoutException => (StatusCodes.Status503ServiceUnavailable,
            ErrorInfo.Of(ErrorCodes.Unavailable, "The cluster did not answer in time; the request may be retried.")),
        _ => (StatusCodes.Status500InternalServerError, ErrorInfo.Of(ErrorCodes.Internal, "An internal error occurred; it is in the server's log.")),
    };

    /// <summary>The status of an error code answered without an exception (routing, limits).</summary>
    public static int Of(string code) => code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.Internal => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>
    /// A request the framework could not bind: malformed JSON (the inner JsonException says where), or a
    /// query or route parameter missing or of the wrong type (the framework's message names it, with its
    /// .NET type, which the client is spared).
    /// </summary>
    private static ErrorInfo BadRequest(BadHttpRequestException exception)
    {
        ValidationProblem problem;
        if (exception.InnerException is System.Text.Json.JsonException json)
        {
            problem = new ValidationProblem("body", "malformed", $"The body is not valid JSON: {json.Message}");
        }
        else if (BindFailure().Match(exception.Message) is { Success: true } failed)
        {
            problem = new ValidationProblem(failed.Groups["name"].Value, "malformed", $"{failed.Groups["name"].Value} '{failed.Groups["value"].Value}' is not a valid value.");
        }
        else if (MissingParameter().Match(exception.Message) is { Success: true } missing)
        {
            problem = new ValidationProblem(missing.Groups["name"].Value, "required", $"{missing.Groups["name"].Value} is required.");
        }
        else
        {
            problem = new ValidationProblem("request", "malformed", exception.Message);
        }

        return new ErrorInfo(ErrorCodes.ValidationFailed, problem.Message, new Dictionary<string, object?> { ["problems"] = new[] { problem } });
    }

    [System.Text.RegularExpressions.GeneratedRegex("""Failed to bind parameter "(?:[^"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)" from "(?<value>[^"]*)"\.""")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    [System.Text.RegularExpressions.GeneratedRegex("""Required parameter "(?:[^"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)" was not provided""")]
    private static partial System.Text.RegularExpressions.Regex MissingParameter();
}
