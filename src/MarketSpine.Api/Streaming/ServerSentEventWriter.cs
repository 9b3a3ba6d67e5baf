using System.Globalization;
using System.Text;
using System.Text.Json;
using MarketSpine.Api.Hosting;
using MarketSpine.Core.Pipelines;
using MarketSpine.Grains.Dispatch;

namespace MarketSpine.Api.Streaming;

/// <summary>
/// Streams an execution's events or log lines as Server-Sent Events until it ends: each row is one
/// message whose <c>id</c> is its sequence, so a client that reconnects with <c>Last-Event-ID</c>
/// resumes after the last row it saw. The stream closes with <c>event: end</c> once the execution has
/// ended and every row is sent. Written by hand rather than with <c>TypedResults.ServerSentEvents</c>:
/// the stream must poll the store, send heartbeats while quiet, and end on the execution's state or
/// when the host stops.
/// </summary>
public sealed class ServerSentEventWriter(ExecutionDispatcher dispatcher, ApiOptions options, TimeProvider time, IHostApplicationLifetime lifetime)
{
    private const int Batch = 500;

    /// <param name="httpContext">The request to answer with the stream.</param>
    /// <param name="executionId">The execution followed; the stream ends when it has ended.</param>
    /// <param name="after">The sequence of the last row the client has (0: from the start).</param>
    /// <param name="read">Reads rows after a sequence, at most a batch.</param>
    /// <param name="describe">A row's sequence and its event name.</param>
    /// <param name="json">How rows are written.</param>
    public async Task StreamAsync<T>(
        HttpContext httpContext, string executionId, long after, Func<long, int, CancellationToken, Task<IReadOnlyList<T>>> read,
        Func<T, (long Sequence, string Event)> describe, JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        // A stopping host ends its streams at once rather than holding its shutdown for them: clients
        // reconnect (to another silo) with Last-Event-ID and lose nothing.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, lifetime.ApplicationStopping);
        var aborted = ending.Token;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // nginx and similar proxies buffer responses unless told not to; a stream must not wait in a buffer.
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(aborted);
        await WriteAsync(response, "retry: 2000\n\n", aborted);
        var quietSince = time.GetTimestamp();
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                var rows = await read(after, Batch, aborted);
                after = await SendAsync(response, rows, after, describe, json, aborted);
                if (rows.Count == Batch)
                {
                    continue;
                }

                if (rows.Count > 0)
                {
                    quietSince = time.GetTimestamp();
                }
                else
                {
                    var record = await dispatcher.GetAsync(executionId, aborted);
                    if (record.IsTerminal)
                    {
                        // Rows written between the last read and the status read go out before the end.
                        IReadOnlyList<T> last;
                        do
                        {
                            last = await read(after, Batch, aborted);
                            after = await SendAsync(response, last, after, describe, json, aborted);
                        }
                        while (last.Count == Batch);

                        await WriteAsync(response,
                            $"event: end\ndata: {JsonSerializer.Serialize(new StreamEnd(executionId, record.Status.ToText()), json)}\n\n", aborted);
                        return;
                    }

                    if (time.GetElapsedTime(quietSince) >= options.StreamHeartbeat)
                    {
                        await WriteAsync(response, ": keepalive\n\n", aborted);
                        quietSince = time.GetTimestamp();
                    }
                }

                await Task.Delay(options.StreamPollInterval, time, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client closed the stream, or the host stops; it resumes with Last-Event-ID if it wants more.
        }
    }

    private static async Task<long> SendAsync<T>(
        HttpResponse response, IReadOnlyList<T> rows, long after, Func<T, (long Sequence, string Event)> describe, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return after;
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var (sequence, name) = describe(row);
            text.Append("id: ").Append(sequence.ToString(CultureInfo.InvariantCulture))
                .Append("\nevent: ").Append(name)
                .Append("\ndata: ").Append(JsonSerializer.Serialize(row, json)).Append("\n\n");
            after = sequence;
        }

        await WriteAsync(response, text.ToString(), cancellationToken);
        return after;
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
