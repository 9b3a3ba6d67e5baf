using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MarketSpine.Api.Metrics;

/// <summary>
/// The API's instruments on the <c>MarketSpine.Api</c> meter: requests by method, route template and
/// status, and their durations. A middleware, so errors answered by the exception handler count too.
/// </summary>
public sealed class ApiMetrics : IDisposable
{
    public const string MeterName = "MarketSpine.Api";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public ApiMetrics()
    {
        _requests = _meter.CreateCounter<long>("marketspine.api.requests", "{request}", "HTTP requests answered, by method, route and status.");
        _duration = _meter.CreateHistogram<double>("marketspine.api.request.duration", "ms", "Time to answer an HTTP request (a stream: until it closes).");
    }

    public async Task InvokeAsync(HttpContext httpContext, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        // Read before the endpoint runs: the exception handler clears it when it answers an error.
        // The route template, not the path: one series per endpoint, not per execution id.
        var route = (httpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
        try
        {
            await next(httpContext);
        }
        finally
        {
            var tags = new TagList
            {
                { "method", httpContext.Request.Method },
                { "route", route },
                { "status", httpContext.Response.StatusCode },
            };
            _requests.Add(1, tags);
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
        }
    }

    public void Dispose() => _meter.Dispose();
}
