using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MarketSpine.Api.Tests.Support;
using MarketSpine.Testing;

namespace MarketSpine.Api.Tests;

/// <summary>
/// A client written only from the API contract (docs/api.md, the seeds' v1 contract): raw HTTP and
/// JSON, no Market Spine types, against a cluster's silo on PostgreSQL. It runs the FINRA flow end to
/// end: find the pipeline, run a week per real file (one re-published), follow one by its event stream,
/// then read weeks, venues, symbols, captures and the diff of the two publications.
/// </summary>
public sealed class ContractClientTests(PostgresServer fixture) : IClassFixture<PostgresServer>
{
    [SpineFact(Postgres = true, SharedData = true)]
    public async Task The_finra_flow_runs_end_to_end_through_the_contract_alone()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        var pipelines = JsonNode.Parse(await http.GetStringAsync("/v1/pipelines"))!["pipelines"]!.AsArray();
        Assert.Contains(pipelines, p => (string?)p!["name"] == "finra.otc_transparency.run_week");
        var spec = JsonNode.Parse(await http.GetStringAsync("/v1/pipelines/finra.otc_transparency.run_week"))!;
        Assert.Contains(spec["parameters"]!.AsArray(), p => (string?)p!["name"] == "file" && (bool)p["required"]!);

        // The first publication, waited for; the others submitted and polled.
        var first = await PostAsync(http, "/v1/executions", $$$"""{"pipeline": "finra.otc_transparency.run_week", "params": {"file": "{{{File("finra_otc_weekly_otc_20251215.csv")}}}", "tier": "OTC"}}""", wait: 120);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("completed", (string?)first.Body["status"]);

        var second = await PostAsync(http, "/v1/executions", $$$"""{"pipeline": "finra.otc_transparency.run_week", "params": {"file": "{{{File("finra_otc_weekly_otc_20251222.csv")}}}", "tier": "OTC"}}""");
        Assert.Equal(HttpStatusCode.Accepted, second.Status);
        var events = await FollowEventsAsync(http, (string)second.Body["execution_id"]!);
        Assert.Equal("created", events[0]);
        Assert.Equal("completed", events[^2]);
        Assert.Equal("end", events[^1]);

        // The week of 2025-11-14 again, as a later publication: a second capture of that week.
        var republished = await PostAsync(http, "/v1/executions",
            $$$"""{"pipeline": "finra.otc_transparency.run_week", "params": {"file": "{{{File("finra_otc_weekly_otc_20251229.csv")}}}", "tier": "OTC", "week_ending": "2025-11-14"}}""");
        var done = await PollAsync(http, (string)republished.Body["poll_url"]!);
        Assert.Equal("completed", (string?)done["status"]);

        var weeks = JsonNode.Parse(await http.GetStringAsync("/v1/query/weeks?tier=OTC"))!["weeks"]!.AsArray();
        Assert.Contains(weeks, w => (string?)w!["week_ending"] == "2025-11-14" && (int)w["capture_count"]! == 2);

        var asOfFirst = JsonNode.Parse(await http.GetStringAsync("/v1/query/venues?week=2025-11-14&tier=OTC&as_of=2025-12-15&top=3"))!;
        Assert.Equal("OTC:2025-11-14:2025-12-15", (string?)asOfFirst["capture"]!["capture_id"]);
        Assert.Equal(["OTCN", "OTCX", "ARCA"], asOfFirst["rows"]!.AsArray().Select(v => (string)v!["mpid"]!));
        Assert.Equal(82.19m, Math.Round((decimal)asOfFirst["rows"]![0]!["share_percent"]!, 2));

        var symbols = JsonNode.Parse(await http.GetStringAsync("/v1/query/symbols?week=2025-11-14&tier=OTC&as_of=2025-12-15&top=5&offset=5"))!;
        Assert.Equal(6, (int)symbols["rows"]![0]!["rank"]!);

        var captures = JsonNode.Parse(await http.GetStringAsync("/v1/captures?week=2025-11-14&tier=OTC"))!["captures"]!.AsArray();
        var ids = captures.Select(c => (string)c!["capture_id"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, ids.Count);
        var diff = JsonNode.Parse(await http.GetStringAsync($"/v1/captures/diff?from={Uri.EscapeDataString(ids[0])}&to={Uri.EscapeDataString(ids[1])}&top=5"))!;
        Assert.True((long)diff["changed"]! + (long)diff["added"]! + (long)diff["removed"]! > 0);
        Assert.True(diff["changes"]!.AsArray().Count <= 5);

        var error = JsonNode.Parse(await (await http.GetAsync("/v1/query/venues?tier=TIER9")).Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("VALIDATION_FAILED", (string?)error["code"]);
    }

    private static string File(string name) => TestEnvironment.FinraFile(name).Replace("\\", "\\\\", StringComparison.Ordinal);

    private static async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(HttpClient http, string path, string json, int? wait = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (wait is { } seconds)
        {
            request.Headers.Add("Prefer", $"wait={seconds}");
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static async Task<JsonNode> PollAsync(HttpClient http, string pollUrl)
    {
        for (var i = 0; i < 1200; i++)
        {
            var execution = JsonNode.Parse(await http.GetStringAsync(pollUrl))!;
            if ((string?)execution["status"] is "completed" or "cancelled" or "dead_lettered")
            {
                return execution;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{pollUrl} did not end within two minutes.");
    }

    /// <summary>The event names of an execution's stream, read to its end, with a parser written from the SSE format.</summary>
    private static async Task<List<string>> FollowEventsAsync(HttpClient http, string executionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{executionId}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var names = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                names.Add(line["event: ".Length..]);
            }
        }

        return names;
    }
}
