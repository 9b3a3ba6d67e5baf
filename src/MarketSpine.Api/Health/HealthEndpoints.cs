using System.Diagnostics;
using System.Reflection;
using MarketSpine.Api.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketSpine.Api.Health;

/// <summary>
/// Liveness (<c>/v1/health</c>, also <c>/health</c>), readiness (<c>/health/ready</c>: every
/// <see cref="IReadinessCheck"/> passes) and Prometheus metrics (<c>/health/metrics</c>).
/// </summary>
public static class HealthEndpoints
{
    private static readonly string Version = typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static void Map(IEndpointRouteBuilder app, IEndpointRouteBuilder v1)
    {
        v1.MapGet("/health", Live).WithTags("Health").WithName("Health").WithSummary("Liveness: the process answers.");
        app.MapGet("/health", Live).WithTags("Health").WithName("HealthUnversioned").WithSummary("Liveness, for probes that do not know the API's version.");
        app.MapGet("/health/ready", Ready).WithTags("Health").WithName("Ready").WithSummary("Readiness: the silo (or cluster) and the database answer; 503 when not.")
            .Produces<ReadinessReport>(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/health/metrics", Scrape).WithTags("Health").WithName("Metrics").WithSummary("The runtime's and the API's metrics in Prometheus text format.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
    }

    private static Ok<LivenessReport> Live() =>
        TypedResults.Ok(new LivenessReport("ok", Version, (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds));

    private static async Task<JsonHttpResult<ReadinessReport>> Ready(IEnumerable<IReadinessCheck> checks, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(checks.Select(check => check.CheckAsync(cancellationToken)));
        var ready = results.All(result => result.Ready);
        return TypedResults.Json(new ReadinessReport(ready ? "ready" : "not_ready", results),
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static ContentHttpResult Scrape(PrometheusExporter exporter) =>
        TypedResults.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8");
}
