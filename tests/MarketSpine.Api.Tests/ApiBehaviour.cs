using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MarketSpine.Api.Tests.Support;
using MarketSpine.Api.TestPipelines;

namespace MarketSpine.Api.Tests;

/// <summary>
/// The API's contract over real HTTP, the same against the embedded default and a PostgreSQL
/// cluster's silo: every endpoint, every error code, the poll and wait flows, streaming, paging.
/// </summary>
public abstract class ApiBehaviour(ServerFixture fixture)
{
    private static readonly TimeSpan EndLimit = TimeSpan.FromSeconds(60);

    protected HttpClient Client => fixture.Server.Client;

    protected async Task PipelinesAreListedWithTheirParameterSpec()
    {
        var list = await (await Client.GetAsync("/v1/pipelines")).ExpectAsync(HttpStatusCode.OK);
        var names = list["pipelines"]!.AsArray().Select(p => (string)p!["name"]!).ToList();
        Assert.Contains("finra.otc_transparency.run_week", names);
        Assert.Contains(StepsPipeline.Name, names);

        var steps = await (await Client.GetAsync($"/v1/pipelines/{StepsPipeline.Name}")).ExpectAsync(HttpStatusCode.OK);
        var parameters = steps["parameters"]!.AsArray();
        var count = parameters.Single(p => (string?)p!["name"] == "steps")!;
        Assert.Equal("integer", (string?)count["type"]);
        Assert.False((bool)count["required"]!);
        Assert.Equal("3", (string?)count["default"]);

        var error = await (await Client.GetAsync("/v1/pipelines/no.such.pipeline")).ExpectErrorAsync(HttpStatusCode.NotFound, "PIPELINE_NOT_FOUND");
        Assert.Equal("no.such.pipeline", (string?)error["details"]!["pipeline"]);
    }

    protected async Task ASubmissionIsAcceptedThenPolledToItsEnd()
    {
        using var response = await Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, @params = new { steps = 5, delay_ms = 20 } });
        var accepted = await response.ExpectAsync(HttpStatusCode.Accepted);
        var id = (string)accepted["execution_id"]!;
        Assert.StartsWith("exec_", id, StringComparison.Ordinal);
        Assert.Equal($"/v1/executions/{id}", (string?)accepted["poll_url"]);
        Assert.Equal($"/v1/executions/{id}", response.Headers.Location?.OriginalString);
        Assert.True((string?)accepted["status"] is "pending" or "queued" or "running", accepted.ToJsonString());

        var done = await WaitForEndAsync(id);
        Assert.Equal("completed", (string?)done["status"]);
        Assert.Equal(5, (int)done["progress"]!["completed"]!);
        Assert.Equal(5, (int)done["progress"]!["total"]!);
        Assert.Equal(100.0, (double)done["progress"]!["percent"]!);
        Assert.Equal("step 5", (string?)done["progress"]!["current_step"]);
        Assert.Equal(5.0, (double)done["metrics"]!["steps"]!);
        Assert.Equal("api", (string?)done["trigger_source"]);
        Assert.True((long)done["duration_ms"]! >= 0);
    }

    protected async Task PreferWaitAnswersWithTheResultOrAcceptsWhenItRunsLonger()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/executions") { Content = JsonContent.Create(new { pipeline = StepsPipeline.Name, @params = new { steps = 2 } }) };
        request.Headers.Add("Prefer", "wait=30");
        using var waited = await Client.SendAsync(request);
        var result = await waited.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("completed", (string?)result["status"]);
        Assert.Equal("wait=30", waited.Headers.GetValues("Preference-Applied").Single());

        using var byQuery = await Client.PostJsonAsync("/v1/executions?wait=30", new { pipeline = NoopPipeline.Name });
        Assert.Equal("completed", (string?)(await byQuery.ExpectAsync(HttpStatusCode.OK))["status"]);

        // Longer than the wait: accepted, to be polled.
        using var slow = await Client.PostJsonAsync("/v1/executions?wait=0.2", new { pipeline = StepsPipeline.Name, @params = new { steps = 10, delay_ms = 200 } });
        var accepted = await slow.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal("completed", (string?)(await WaitForEndAsync((string)accepted["execution_id"]!))["status"]);

        await (await Client.PostJsonAsync("/v1/executions?wait=soon", new { pipeline = NoopPipeline.Name })).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    protected async Task BadSubmissionsAreRefusedWithNothingStored()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var before = await CountSinceAsync(since);
        var missing = await (await Client.PostJsonAsync("/v1/executions", new { @params = new { } })).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Contains("pipeline", missing["details"]!["problems"]!.AsArray().Select(p => (string?)p!["field"]));
        await (await Client.PostJsonAsync("/v1/executions", new { pipeline = "no.such.pipeline" })).ExpectErrorAsync(HttpStatusCode.NotFound, "PIPELINE_NOT_FOUND");
        await (await Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, @params = new { steps = "many" } }))
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, @params = new { steps = new { many = 2 } } }))
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, lane = "fast" })).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, key_policy = "maybe" })).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, max_attempts = 0 })).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, timeout_seconds = -1 })).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.PostAsync("/v1/executions", new StringContent("{\"pipeline\": ", Encoding.UTF8, "application/json")))
            .ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.PostAsync("/v1/executions", new StringContent("pipeline=x", Encoding.UTF8, "text/plain")))
            .ExpectErrorAsync(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
        var huge = new string('x', 70 * 1024);
        await (await Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, @params = new { steps = huge } }))
            .ExpectErrorAsync(HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        Assert.Equal(before, await CountSinceAsync(since));
    }

    protected async Task AnIdempotencyKeyReturnsTheFirstExecution()
    {
        var key = $"idem-{Guid.NewGuid():N}";
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/executions") { Content = JsonContent.Create(new { pipeline = NoopPipeline.Name }) };
            request.Headers.Add("Idempotency-Key", key);
            ids.Add((string)(await (await Client.SendAsync(request)).ExpectAsync(HttpStatusCode.Accepted))["execution_id"]!);
        }

        Assert.Equal(ids[0], ids[1]);
        var body = await (await Client.PostJsonAsync("/v1/executions", new { pipeline = NoopPipeline.Name, idempotency_key = key })).ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(ids[0], (string?)body["execution_id"]);
    }

    protected async Task ALogicalKeyIsVisibleAndTheRejectPolicyConflicts()
    {
        var key = $"key-{Guid.NewGuid():N}";
        var holder = await SubmitAsync(new { pipeline = StepsPipeline.Name, @params = new { steps = 40, delay_ms = 100 }, logical_key = key });
        var waiter = await SubmitAsync(new { pipeline = NoopPipeline.Name, logical_key = key });
        await EventuallyAsync(async () => (string?)(await GetAsync(holder))["status"] == "running");

        var view = await (await Client.GetAsync($"/v1/logical-keys/{key}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(holder, (string?)view["holder"]);
        Assert.Equal([waiter], view["waiters"]!.AsArray().Select(w => (string)w!).ToArray());

        var error = await (await Client.PostJsonAsync("/v1/executions", new { pipeline = NoopPipeline.Name, logical_key = key, key_policy = "reject" }))
            .ExpectErrorAsync(HttpStatusCode.Conflict, "LOGICAL_KEY_HELD");
        Assert.Equal(holder, (string?)error["details"]!["holder"]);

        await (await Client.PostAsync($"/v1/executions/{holder}/cancel", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("completed", (string?)(await WaitForEndAsync(waiter))["status"]);
        var free = await (await Client.GetAsync($"/v1/logical-keys/{key}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Null((string?)free["holder"]);
    }

    protected async Task CancellingEndsARunningExecutionAndAnEndedOneConflicts()
    {
        var running = await SubmitAsync(new { pipeline = StepsPipeline.Name, @params = new { steps = 100, delay_ms = 100 } });
        await EventuallyAsync(async () => (string?)(await GetAsync(running))["status"] == "running");
        using var cancel = new HttpRequestMessage(HttpMethod.Post, $"/v1/executions/{running}/cancel") { Content = JsonContent.Create(new { reason = "test says stop" }) };
        var cancelling = await (await Client.SendAsync(cancel)).ExpectAsync(HttpStatusCode.OK);
        Assert.True((string?)cancelling["status"] is "cancelling" or "cancelled", cancelling.ToJsonString());
        Assert.Equal("cancelled", (string?)(await WaitForEndAsync(running))["status"]);
        await (await Client.PostAsync($"/v1/executions/{running}/cancel", null)).ExpectErrorAsync(HttpStatusCode.Conflict, "INVALID_STATE");

        var deleted = await SubmitAsync(new { pipeline = StepsPipeline.Name, @params = new { steps = 100, delay_ms = 100 } });
        await (await Client.DeleteAsync($"/v1/executions/{deleted}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", (string?)(await WaitForEndAsync(deleted))["status"]);
        await (await Client.DeleteAsync($"/v1/executions/{deleted}")).ExpectErrorAsync(HttpStatusCode.Conflict, "INVALID_STATE");

        await (await Client.GetAsync("/v1/executions/exec_nope")).ExpectErrorAsync(HttpStatusCode.NotFound, "EXECUTION_NOT_FOUND");
        await (await Client.PostAsync("/v1/executions/exec_nope/cancel", null)).ExpectErrorAsync(HttpStatusCode.NotFound, "EXECUTION_NOT_FOUND");
        await (await Client.GetAsync("/v1/executions/exec_nope/events")).ExpectErrorAsync(HttpStatusCode.NotFound, "EXECUTION_NOT_FOUND");
    }

    protected async Task LogsStreamLiveToTheEndAndResumeAfterTheLastEventId()
    {
        const int steps = 12;
        var id = await SubmitAsync(new { pipeline = StepsPipeline.Name, @params = new { steps, delay_ms = 150 } });
        var lines = new List<SseMessage>();
        var sawRunning = false;
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{id}/logs"))
        {
            request.Headers.Accept.Clear();
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            await foreach (var message in ServerSentEvents.ReadAsync(await response.Content.ReadAsStreamAsync()))
            {
                if (message.Event == "end")
                {
                    Assert.Equal("completed", (string?)JsonNode.Parse(message.Data)!["status"]);
                    break;
                }

                lines.Add(message);
                if (lines.Count == 1)
                {
                    // The first line arrives while the pipeline still runs: the stream is live.
                    sawRunning = (string?)(await GetAsync(id))["status"] == "running";
                }
            }
        }

        Assert.True(sawRunning, "The first log line should arrive while the execution runs.");
        var stepLines = lines.Select(l => (string)JsonNode.Parse(l.Data)!["message"]!).Where(m => m.StartsWith("step ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, steps).Select(i => $"step {i} of {steps}"), stepLines);
        var sequences = lines.Select(l => long.Parse(l.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sequences.Order(), sequences);

        // Resumed after the fourth line: the rest, then the end at once (the execution has ended).
        using var resume = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{id}/logs");
        resume.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        resume.Headers.Add("Last-Event-ID", lines[3].Id);
        using var resumed = await Client.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead);
        var rest = new List<string?>();
        await foreach (var message in ServerSentEvents.ReadAsync(await resumed.Content.ReadAsStreamAsync()))
        {
            rest.Add(message.Event == "end" ? "end" : message.Id);
        }

        Assert.Equal([.. lines.Skip(4).Select(l => l.Id), "end"], rest);
    }

    protected async Task EventsArePagedAsJsonAndStreamed()
    {
        var id = await SubmitAsync(new { pipeline = StepsPipeline.Name, @params = new { steps = 2 } });
        await WaitForEndAsync(id);
        var page = await (await Client.GetAsync($"/v1/executions/{id}/events")).ExpectAsync(HttpStatusCode.OK);
        var types = page["items"]!.AsArray().Select(e => (string)e!["type"]!).ToList();
        Assert.Equal(["created", "queued", "started"], types.Take(3));
        Assert.Equal("completed", types[^1]);
        Assert.True((bool)page["ended"]!);
        var second = await (await Client.GetAsync($"/v1/executions/{id}/events?after=3&limit=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([4L, 5L], second["items"]!.AsArray().Select(e => (long)e!["seq"]!));
        Assert.Equal(5L, (long)second["next_after"]!);

        using var stream = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{id}/events");
        stream.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Client.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead);
        var streamed = new List<string>();
        await foreach (var message in ServerSentEvents.ReadAsync(await response.Content.ReadAsStreamAsync()))
        {
            streamed.Add(message.Event);
        }

        Assert.Equal([.. types, "end"], streamed);
    }

    protected async Task StreamsBeyondTheLimitAreRefused()
    {
        var id = await SubmitAsync(new { pipeline = StepsPipeline.Name, @params = new { steps = 100, delay_ms = 100 } });
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < ServerFixture.StreamLimit; i++)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{id}/events");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                open.Add(response);
            }

            using var over = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{id}/events");
            over.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            await (await Client.SendAsync(over)).ExpectErrorAsync(HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        }
        finally
        {
            foreach (var response in open)
            {
                response.Dispose();
            }

            await Client.DeleteAsync($"/v1/executions/{id}");
        }

        // Each stream's slot frees when the server notices: the execution ended, or the client left.
        await WaitForEndAsync(id);
        await EventuallyAsync(async () =>
        {
            using var again = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{id}/events");
            again.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await Client.SendAsync(again);
            return response.StatusCode == HttpStatusCode.OK;
        });
    }

    protected async Task DeadLettersAreListedRetriedAndDiscarded()
    {
        var failed = await SubmitAsync(new { pipeline = FailPipeline.Name, max_attempts = 1 });
        var dead = await WaitForEndAsync(failed);
        Assert.Equal("dead_lettered", (string?)dead["status"]);
        Assert.Equal("SOURCE_UNREADABLE", (string?)dead["error"]!["code"]);
        var letterId = (string)dead["dead_letter_id"]!;

        var list = await (await Client.GetAsync($"/v1/dead-letters?pipeline={FailPipeline.Name}&limit=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(letterId, list["items"]!.AsArray().Select(d => (string?)d!["dead_letter_id"]));
        var letter = await (await Client.GetAsync($"/v1/dead-letters/{letterId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(failed, (string?)letter["execution_id"]);

        var retried = await (await Client.PostAsync($"/v1/dead-letters/{letterId}/retry", null)).ExpectAsync(HttpStatusCode.Accepted);
        var retry = await WaitForEndAsync((string)retried["execution_id"]!);
        Assert.Equal(failed, (string?)retry["retry_of"]);
        await (await Client.PostAsync($"/v1/dead-letters/{letterId}/retry", null)).ExpectErrorAsync(HttpStatusCode.Conflict, "INVALID_STATE");
        await (await Client.PostAsync($"/v1/dead-letters/{(string)retry["dead_letter_id"]!}/discard", null)).ExpectAsync(HttpStatusCode.OK);
        await (await Client.GetAsync("/v1/dead-letters/dlq_nope")).ExpectErrorAsync(HttpStatusCode.NotFound, "DEAD_LETTER_NOT_FOUND");
        await (await Client.GetAsync("/v1/dead-letters?status=lost")).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
    }

    protected async Task CursorPagingWalksAThousandExecutionsOnce()
    {
        const int total = 1000;
        var key = $"page-{Guid.NewGuid():N}";
        var submitted = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            // Each a logical key of its own prefix would serialize them; one key queues them all, FIFO, which also
            // exercises the filter. Distinct idempotency keys keep them distinct executions.
            using var response = await Client.PostJsonAsync("/v1/executions", new { pipeline = NoopPipeline.Name, logical_key = $"{key}-{i % 50}", idempotency_key = $"{key}:{i}" });
            submitted.Add((string)(await response.ExpectAsync(HttpStatusCode.Accepted))["execution_id"]!);
        });

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await Client.GetAsync($"/v1/executions?pipeline={NoopPipeline.Name}&limit=100{(cursor is null ? "" : $"&cursor={cursor}")}"))
                .ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page["items"]!.AsArray().Select(e => (string)e!["execution_id"]!));
            cursor = (string?)page["next_cursor"];
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), submitted.ToHashSet());
        Assert.Equal(seen.OrderByDescending(id => id, StringComparer.Ordinal), seen);

        var filtered = await (await Client.GetAsync($"/v1/executions?logical_key={key}-7&limit=1000")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(total / 50, filtered["items"]!.AsArray().Count);
        await (await Client.GetAsync("/v1/executions?limit=100000")).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.GetAsync("/v1/executions?status=sleeping")).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.GetAsync("/v1/executions?since=yesterday")).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var none = await (await Client.GetAsync($"/v1/executions?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(none["items"]!.AsArray());
    }

    protected async Task UnknownRoutesMethodsAndHealthAnswerAsDocumented()
    {
        await (await Client.GetAsync("/v1/nothing-here")).ExpectErrorAsync(HttpStatusCode.NotFound, "NOT_FOUND");
        await (await Client.PutAsync("/v1/pipelines", null)).ExpectErrorAsync(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
        Assert.Equal("ok", (string?)(await (await Client.GetAsync("/v1/health")).ExpectAsync(HttpStatusCode.OK))["status"]);
        var ready = await (await Client.GetAsync("/health/ready")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("ready", (string?)ready["status"]);
        Assert.All(ready["checks"]!.AsArray(), check => Assert.True((bool)check!["ready"]!));

        await Client.GetAsync("/v1/pipelines");
        var metrics = await Client.GetStringAsync("/health/metrics");
        Assert.Contains("# TYPE marketspine_api_requests_total counter", metrics, StringComparison.Ordinal);
        Assert.Contains("marketspine_api_requests_total{method=\"GET\",route=\"/v1/pipelines/\",status=\"200\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE marketspine_api_request_duration_milliseconds histogram", metrics, StringComparison.Ordinal);
        Assert.Contains("marketspine_actors_activations{", metrics, StringComparison.Ordinal);
    }

    protected async Task QueriesRefuseBadArgumentsAndAnswerEmptyWhenNothingIsHeld()
    {
        var weeks = await (await Client.GetAsync("/v1/query/weeks?tier=NMS_TIER_2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("latest", (string?)weeks["as_of"]);
        Assert.Empty(weeks["weeks"]!.AsArray());
        Assert.Empty((await (await Client.GetAsync("/v1/captures?tier=NMS_TIER_2")).ExpectAsync(HttpStatusCode.OK))["captures"]!.AsArray());
        await (await Client.GetAsync("/v1/query/symbols?tier=NMS_TIER_2&week=2001-01-05")).ExpectErrorAsync(HttpStatusCode.NotFound, "CAPTURE_NOT_FOUND");
        await (await Client.GetAsync("/v1/query/symbols?tier=T9")).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.GetAsync("/v1/query/venues?as_of=someday")).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.GetAsync("/v1/query/venues?top=0")).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await (await Client.GetAsync("/v1/query/venues?offset=-1")).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        var week = await (await Client.GetAsync("/v1/query/venues?week=2025-13-45")).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal("week", (string?)week["details"]!["problems"]![0]!["field"]);
        var from = await (await Client.GetAsync("/v1/captures/diff?to=x")).ExpectErrorAsync(HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        Assert.Equal("from", (string?)from["details"]!["problems"]![0]!["field"]);
        await (await Client.GetAsync("/v1/captures/diff?from=OTC:2001-01-05:2001-02-05&to=OTC:2001-01-05:2001-03-05")).ExpectErrorAsync(HttpStatusCode.NotFound, "CAPTURE_NOT_FOUND");
    }

    protected async Task<string> SubmitAsync(object body)
    {
        using var response = await Client.PostJsonAsync("/v1/executions", body);
        return (string)(await response.ExpectAsync(HttpStatusCode.Accepted))["execution_id"]!;
    }

    protected async Task<JsonNode> GetAsync(string id) => await (await Client.GetAsync($"/v1/executions/{id}")).ExpectAsync(HttpStatusCode.OK);

    protected async Task<JsonNode> WaitForEndAsync(string id)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var execution = await GetAsync(id);
            if ((string?)execution["status"] is "completed" or "cancelled" or "dead_lettered")
            {
                return execution;
            }

            Assert.True(watch.Elapsed < EndLimit, $"{id} did not end within {EndLimit}: {execution.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    private async Task<int> CountSinceAsync(DateTimeOffset since)
    {
        var page = await (await Client.GetAsync($"/v1/executions?limit=1000&since={Uri.EscapeDataString(since.ToString("O"))}")).ExpectAsync(HttpStatusCode.OK);
        return page["items"]!.AsArray().Count;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < EndLimit, "The condition did not hold in time.");
            await Task.Delay(25);
        }
    }
}
