using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using MarketSpine.Api.Tests.Support;
using MarketSpine.Api.TestPipelines;

namespace MarketSpine.Api.Tests;

/// <summary>A server told to stop (SIGTERM) ends its open streams and held waits at once, then exits 0.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_ends_open_streams_and_waits_promptly_and_exits_zero()
    {
        var directory = Directory.CreateTempSubdirectory("spine-api-stop-").FullName;
        try
        {
            await using var server = await SpineServer.StartEmbeddedAsync(directory);
            using var submitted = await server.Client.PostJsonAsync("/v1/executions", new { pipeline = StepsPipeline.Name, @params = new { steps = 600, delay_ms = 100 } });
            var id = (string)(await submitted.ExpectAsync(HttpStatusCode.Accepted))["execution_id"]!;

            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/executions/{id}/logs");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var stream = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var reading = Task.Run(async () =>
            {
                var count = 0;
                await foreach (var _ in ServerSentEvents.ReadAsync(await stream.Content.ReadAsStreamAsync()))
                {
                    count++;
                }

                return count;
            });
            var waiting = server.Client.PostJsonAsync("/v1/executions?wait=120", new { pipeline = StepsPipeline.Name, @params = new { steps = 600, delay_ms = 100 } });
            await Task.Delay(TimeSpan.FromSeconds(1));

            var watch = Stopwatch.StartNew();
            var exit = await server.StopAsync();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"Stopping took {watch.Elapsed}: streams or waits held the shutdown.\n{server.Output}");
            Assert.Equal(0, exit);
            Assert.True(await reading.WaitAsync(TimeSpan.FromSeconds(5)) > 0, "The stream should have carried log lines before it ended.");
            using var held = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
