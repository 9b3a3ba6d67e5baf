using System.Net;
using System.Text.Json.Nodes;
using MarketSpine.Api.Tests.Support;
using MarketSpine.Api.TestPipelines;
using MarketSpine.Testing;

namespace MarketSpine.Api.Tests;

/// <summary>
/// Admission: with the backlog (executions waiting to start) at its bound, users' submissions are
/// refused with 429 <c>RATE_LIMITED</c> and <c>Retry-After</c>, nothing of them is stored, a submission
/// already made answers as before, and submissions are admitted again once the backlog drains.
/// </summary>
public sealed class BacklogTests
{
    private const int Limit = 4;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Spine__Executions__MaxBacklog"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Spine__Executions__BacklogCountInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task On_the_embedded_default_a_full_backlog_refuses_submissions_until_it_drains()
    {
        var directory = Directory.CreateTempSubdirectory("spine-api-backlog-").FullName;
        try
        {
            await using var server = await SpineServer.StartEmbeddedAsync(directory, Settings);
            await FillAndDrainAsync(server, directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [PostgresFact]
    public async Task On_a_PostgreSQL_silo_a_full_backlog_refuses_submissions_until_it_drains()
    {
        var directory = Directory.CreateTempSubdirectory("spine-api-backlog-").FullName;
        await using var database = new PostgresDatabase();
        try
        {
            await database.InitializeAsync();
            await SpineServer.MigrateAsync(database.ConnectionString);
            await using var server = await SpineServer.StartClusterSiloAsync("silo-backlog", database.ConnectionString, directory, Settings);
            await FillAndDrainAsync(server, directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task FillAndDrainAsync(SpineServer server, string directory)
    {
        // Each run takes 60 s, so the two normal-lane workers stay busy and the rest wait.
        var body = new { pipeline = StepsPipeline.Name, @params = new { steps = 600, delay_ms = 100 } };
        var accepted = new List<string>();
        var refused = new List<JsonNode>();
        var refusedInARow = 0;
        // Until refusals span several counts of the backlog: then it is full by the database's count,
        // not only by this server's tally of what it admitted since the last one.
        for (var i = 0; i < 60 && refusedInARow < 8; i++)
        {
            using var answer = i == 0
                ? await server.Client.PostJsonAsync("/v1/executions", new { body.pipeline, body.@params, idempotency_key = "backlog-first" })
                : await server.Client.PostJsonAsync("/v1/executions", body);
            if (answer.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = answer.Headers.RetryAfter?.Delta;
                Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After should be at least 1 s, was {answer.Headers.RetryAfter}.");
                refused.Add(await answer.ExpectErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED"));
                refusedInARow++;
            }
            else
            {
                accepted.Add((string)(await answer.ExpectAsync(HttpStatusCode.Accepted))["execution_id"]!);
                refusedInARow = 0;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        Assert.True(refusedInARow == 8, $"The backlog never filled: {accepted.Count} accepted, {refused.Count} refused.");
        foreach (var error in refused)
        {
            Assert.Equal(Limit, (int)error["details"]!["limit"]!);
            Assert.True((long)error["details"]!["waiting"]! >= Limit, error.ToJsonString());
        }

        // Exactly the bound waits; the rest of what was admitted runs.
        var queued = (JsonArray)(await (await server.Client.GetAsync("/v1/executions?status=queued&limit=100")).ExpectAsync(HttpStatusCode.OK))["items"]!;
        Assert.Equal(Limit, queued.Count);

        // Nothing of a refused submission is stored.
        var listed = (JsonArray)(await (await server.Client.GetAsync("/v1/executions?limit=100")).ExpectAsync(HttpStatusCode.OK))["items"]!;
        Assert.Equal(accepted.Order(), listed.Select(e => (string)e!["execution_id"]!).Order());

        // A submission already made is answered as made (its idempotency key), full backlog or not; a new one is not.
        using (var first = await server.Client.PostJsonAsync("/v1/executions", new { body.pipeline, body.@params, idempotency_key = "backlog-first" }))
        {
            Assert.Equal(accepted[0], (string)(await first.ExpectAsync(HttpStatusCode.Accepted))["execution_id"]!);
        }

        using (var keyed = await server.Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, idempotency_key = "backlog-keyed" }))
        {
            await keyed.ExpectErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        }

        // The CLI against the server: one line, exit 1.
        var cli = await SpineCommand.RunAsync(directory, "--server", server.BaseAddress.ToString(), "run", StepsPipeline.Name);
        Assert.True(cli.ExitCode == 1, cli.ToString());
        Assert.StartsWith("error: RATE_LIMITED: ", cli.Stderr, StringComparison.Ordinal);
        Assert.Single(cli.Stderr.Trim().Split('\n'));

        foreach (var id in accepted)
        {
            using var cancelled = await server.Client.PostJsonAsync($"/v1/executions/{id}/cancel", new { reason = "drain the backlog" });
            await cancelled.ExpectAsync(HttpStatusCode.OK);
        }

        // Drained: admitted again by the next count; the same idempotency key, now stored once.
        string? admitted = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (admitted is null && DateTime.UtcNow < deadline)
        {
            using var again = await server.Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, idempotency_key = "backlog-keyed" });
            if (again.StatusCode == HttpStatusCode.Accepted)
            {
                admitted = (string)(await again.JsonAsync())["execution_id"]!;
            }
            else
            {
                await again.ExpectErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }

        Assert.True(admitted is not null, $"No submission was admitted within 30 s of the backlog draining.\n{server.Output}");
        using var repeated = await server.Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, idempotency_key = "backlog-keyed" });
        Assert.Equal(admitted, (string)(await repeated.ExpectAsync(HttpStatusCode.Accepted))["execution_id"]!);
    }
}
