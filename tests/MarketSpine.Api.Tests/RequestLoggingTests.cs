using System.Diagnostics;
using System.Net;
using MarketSpine.Api.TestPipelines;
using MarketSpine.Api.Tests.Support;

namespace MarketSpine.Api.Tests;

/// <summary>
/// What a server logs per request. Issue 5's benchmark: ASP.NET Core's six Information lines per
/// request (request starting, executing endpoint, ..., request finished) were 12–15 % of the server's
/// CPU on <c>GET /v1/executions/{id}</c>; the framework now logs from Warning up.
/// </summary>
public sealed class RequestLoggingTests(EmbeddedServer fixture) : IClassFixture<EmbeddedServer>
{
    [Fact]
    public async Task The_framework_writes_no_line_per_request()
    {
        var server = fixture.Server;
        using (var health = await server.Client.GetAsync("/v1/health"))
        {
            await health.ExpectAsync(HttpStatusCode.OK);
        }

        // The submission's own line is logged while its request is answered, after any line the
        // framework would write when the request starts: once it is in the output, so would those be.
        using var submitted = await server.Client.PostJsonAsync("/v1/executions", new { pipeline = NoopPipeline.Name });
        var id = (string)(await submitted.ExpectAsync(HttpStatusCode.Accepted))["execution_id"]!;
        var waited = Stopwatch.StartNew();
        while (!server.Output.Contains($"Execution {id} of {NoopPipeline.Name} submitted", StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"The submission's line never came:{Environment.NewLine}{server.Output}");
            await Task.Delay(20);
        }

        var output = server.Output;
        Assert.DoesNotContain("Request starting", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request finished", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Executing endpoint", output, StringComparison.Ordinal);
        Assert.Contains("Now listening on", output, StringComparison.Ordinal);
    }
}
