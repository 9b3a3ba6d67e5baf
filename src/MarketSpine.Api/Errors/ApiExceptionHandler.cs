using MarketSpine.Core.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace MarketSpine.Api.Errors;

/// <summary>
/// Turns every exception an endpoint throws into the error envelope with its status. Expected
/// failures (<see cref="SpineError"/>, bad requests) are logged at debug; anything else is a bug,
/// logged with its stack trace, and the client sees only <c>INTERNAL</c>.
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        var (status, error) = ErrorStatus.Describe(exception);
        if (status >= StatusCodes.Status500InternalServerError)
        {
            LogFailed(exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "", error.Code);
        }
        else
        {
            LogRefused(httpContext.Request.Method, httpContext.Request.Path.Value ?? "", error.Code, error.Message);
        }

        if (httpContext.Response.HasStarted)
        {
            // A stream already sent its headers; all that can be done is to end it.
            return true;
        }

        if (exception is BusyError busy)
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(busy.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ApiResults.WriteErrorAsync(httpContext, status, error, cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "{Method} {Path} failed ({Code})")]
    private partial void LogFailed(Exception exception, string method, string path, string code);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "{Method} {Path} refused: {Code}: {Reason}")]
    private partial void LogRefused(string method, string path, string code, string reason);
}
