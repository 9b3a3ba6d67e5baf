using System.Net;
using MarketSpine.Api.Tests.Support;
using MarketSpine.Api.TestPipelines;
using MarketSpine.Testing;

namespace MarketSpine.Api.Tests;

/// <summary><c>spine-api</c> on its own: a front end that hosts no grains and calls a cluster's silo as a client.</summary>
public sealed class FrontEndTests(PostgresServer fixture) : IClassFixture<PostgresServer>
{
    [PostgresFact]
    public async Task A_front_end_submits_to_the_cluster_and_reads_the_result()
    {
        await using var frontEnd = await SpineServer.StartFrontEndAsync(fixture.ConnectionString, fixture.Directory);
        var ready = await (await frontEnd.Client.GetAsync("/health/ready")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(ready["checks"]!.AsArray(), check => (string?)check!["name"] == "cluster" && (bool)check["ready"]!);

        using var submitted = await frontEnd.Client.PostJsonAsync("/v1/executions?wait=30", new { pipeline = StepsPipeline.Name, @params = new { steps = 3 } });
        var done = await submitted.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("completed", (string?)done["status"]);

        // The silo that ran it answers for it too: one cluster, two doors.
        var seen = await (await fixture.Server.Client.GetAsync($"/v1/executions/{(string)done["execution_id"]!}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("completed", (string?)seen["status"]);

        // With no silo left, the front end still reads history but cannot submit: 503, to be retried.
        Assert.Equal(0, await fixture.Server.StopAsync());
        var unready = await (await frontEnd.Client.GetAsync("/health/ready")).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("not_ready", (string?)unready["status"]);
        await (await frontEnd.Client.GetAsync($"/v1/executions/{(string)done["execution_id"]!}")).ExpectAsync(HttpStatusCode.OK);
        await (await frontEnd.Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name })).ExpectErrorAsync(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE");
        Assert.Equal(0, await frontEnd.StopAsync());
    }
}
