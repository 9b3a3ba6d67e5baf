using System.Globalization;
using MarketSpine.Api.Errors;
using MarketSpine.Api.Hosting;
using MarketSpine.Api.Streaming;
using MarketSpine.Core.Contracts;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Grains.Dispatch;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MarketSpine.Api.Executions;

/// <summary><c>/v1/executions</c>: submit, list, follow and cancel executions, through the command layer.</summary>
public static class ExecutionEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var group = v1.MapGroup("/executions").WithTags("Executions");
        group.MapPost("/", Submit).WithName("SubmitExecution")
            .WithSummary("Submit a pipeline run: 202 with where to poll, or with Prefer: wait=N (or ?wait=N) 200 with the result if it ends within N s.")
            .Accepts<SubmitExecutionBody>("application/json")
            .Produces<ExecutionView>(StatusCodes.Status200OK)
            .Produces<SubmitAccepted>(StatusCodes.Status202Accepted)
            .Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ApiErrorResponse>(StatusCodes.Status409Conflict)
            .Produces<ApiErrorResponse>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ApiErrorResponse>(StatusCodes.Status429TooManyRequests);
        group.MapGet("/", List).WithName("ListExecutions").WithSummary("Executions, newest first, filtered; cursor paging.")
            .Produces<ApiErrorResponse>(StatusCodes.Status400BadRequest);
        group.MapGet("/{id}", Get).WithName("GetExecution").WithSummary("One execution with its progress, result or error.")
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/events", Events).WithName("GetExecutionEvents")
            .WithSummary("The execution's events; with Accept: text/event-stream a live stream until it ends, resumable with Last-Event-ID.")
            .Produces<StreamPage<EventView>>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ApiErrorResponse>(StatusCodes.Status429TooManyRequests);
        group.MapGet("/{id}/logs", Logs).WithName("GetExecutionLogs")
            .WithSummary("The execution's log lines; with Accept: text/event-stream a live stream until it ends, resumable with Last-Event-ID.")
            .Produces<StreamPage<LogLineView>>(StatusCodes.Status200OK, "application/json", "text/event-stream")
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ApiErrorResponse>(StatusCodes.Status429TooManyRequests);
        group.MapPost("/{id}/cancel", Cancel).WithName("CancelExecution").WithSummary("Cancel an execution that has not ended.")
            .Accepts<CancelBody>("application/json")
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ApiErrorResponse>(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Delete).WithName("DeleteExecution").WithSummary("Cancel an execution that has not ended (the history is kept).")
            .Produces<ApiErrorResponse>(StatusCodes.Status404NotFound)
            .Produces<ApiErrorResponse>(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> Submit(
        HttpRequest request, [FromBody] SubmitExecutionBody? body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        SubmitRequestReader reader, ExecutionDispatcher dispatcher, ApiOptions options, CancellationToken cancellationToken)
    {
        var wait = WaitPreference.Read(request, options.MaxWait);
        var record = await dispatcher.SubmitAsync(reader.Read(body, idempotencyKey), cancellationToken);
        if (wait is { } timeout)
        {
            request.HttpContext.Response.Headers["Preference-Applied"] = $"wait={timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}";
            if (!record.IsTerminal && timeout > TimeSpan.Zero)
            {
                // A stopping host answers the waits it holds with where to poll instead of holding its shutdown.
                var lifetime = request.HttpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>();
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
                try
                {
                    record = await dispatcher.WaitAsync(record.ExecutionId, timeout, waiting.Token);
                }
                catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return TypedResults.Accepted(ExecutionLinks.Self(record.ExecutionId), SubmitAccepted.For(record.ExecutionId, record.Status.ToText()));
                }
            }

            if (record.IsTerminal)
            {
                return TypedResults.Ok(ExecutionView.From(record, await dispatcher.DeadLetterIdOfAsync(record, cancellationToken)));
            }
        }

        return TypedResults.Accepted(ExecutionLinks.Self(record.ExecutionId), SubmitAccepted.For(record.ExecutionId, record.Status.ToText()));
    }

    private static async Task<Ok<ExecutionPage>> List(
        string? status, string? pipeline, [FromQuery(Name = "logical_key")] string? logicalKey, string? since, string? until, string? cursor, int? limit,
        [FromQuery(Name = "parent_execution_id")] string? parentExecutionId, ExecutionDispatcher dispatcher, ApiOptions options, CancellationToken cancellationToken)
    {
        ExecutionStatus? statusFilter = null;
        if (status is not null)
        {
            statusFilter = ExecutionStatusText.TryParse(status, out var parsed)
                ? parsed
                : throw new ValidationError(new Core.Errors.ValidationProblem("status", "not_allowed",
                    $"status '{status}' is not one of {string.Join(", ", Enum.GetValues<ExecutionStatus>().Select(s => s.ToText()))}."));
        }

        var pageSize = ListFilters.Limit(limit, options.DefaultPageSize, options.MaxPageSize);
        // One more than the page tells whether another page follows without a second query.
        var rows = await dispatcher.ListAsync(new ExecutionQuery(statusFilter, pipeline, ListFilters.Instant(since, "since"), pageSize + 1)
        {
            LogicalKey = logicalKey,
            Until = ListFilters.Instant(until, "until"),
            Before = cursor,
            ParentExecutionId = parentExecutionId,
        }, cancellationToken);
        var page = rows.Take(pageSize).ToList();
        var deadLetters = await dispatcher.DeadLetterIdsOfAsync(page, cancellationToken);
        var views = page.Select((record, i) => ExecutionView.From(record, deadLetters[i])).ToList();
        return TypedResults.Ok(new ExecutionPage(views, rows.Count > pageSize ? page[^1].ExecutionId : null));
    }

    private static async Task<Ok<ExecutionView>> Get(string id, ExecutionDispatcher dispatcher, CancellationToken cancellationToken)
    {
        var record = await dispatcher.GetAsync(id, cancellationToken);
        return TypedResults.Ok(ExecutionView.From(record, await dispatcher.DeadLetterIdOfAsync(record, cancellationToken)));
    }

    private static Task<IResult> Events(
        HttpContext httpContext, string id, long? after, int? limit, ExecutionDispatcher dispatcher, ApiOptions options, CancellationToken cancellationToken) =>
        ReadOrStreamAsync(httpContext, id, after, limit, options,
            async (from, count, token) => (await dispatcher.EventsAsync(id, from, count, token)).Select(EventView.From).ToList(),
            view => (view.Seq, view.Type), cancellationToken);

    private static Task<IResult> Logs(
        HttpContext httpContext, string id, long? after, int? limit, ExecutionDispatcher dispatcher, ApiOptions options, CancellationToken cancellationToken) =>
        ReadOrStreamAsync(httpContext, id, after, limit, options,
            async (from, count, token) => (await dispatcher.LogsAsync(id, from, count, token)).Select(LogLineView.From).ToList(),
            view => (view.Seq, "log"), cancellationToken);

    private static async Task<IResult> ReadOrStreamAsync<T>(
        HttpContext httpContext, string id, long? after, int? limit, ApiOptions options,
        Func<long, int, CancellationToken, Task<List<T>>> read, Func<T, (long Sequence, string Event)> describe, CancellationToken cancellationToken)
    {
        var dispatcher = httpContext.RequestServices.GetRequiredService<ExecutionDispatcher>();
        var record = await dispatcher.GetAsync(id, cancellationToken);
        var from = after ?? LastEventId(httpContext.Request) ?? 0;
        if (from < 0)
        {
            throw new ValidationError(new Core.Errors.ValidationProblem("after", "out_of_range", $"after must not be negative (got {from})."));
        }

        if (!WantsStream(httpContext.Request))
        {
            var rows = await read(from, ListFilters.Limit(limit, options.MaxPageSize, options.MaxPageSize), cancellationToken);
            return TypedResults.Ok(new StreamPage<T>(rows, rows.Count > 0 ? describe(rows[^1]).Sequence : from, record.IsTerminal));
        }

        var limiter = httpContext.RequestServices.GetRequiredService<StreamLimiter>();
        if (!limiter.TryEnter())
        {
            return ApiResults.Error(ErrorCodes.RateLimited, $"The server streams at most {options.MaxEventStreams} executions at once; try again shortly, or poll without streaming.",
                new Dictionary<string, object?> { ["limit"] = options.MaxEventStreams });
        }

        try
        {
            var json = httpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            await httpContext.RequestServices.GetRequiredService<ServerSentEventWriter>().StreamAsync(
                httpContext, id, from, async (sequence, count, token) => await read(sequence, count, token), describe, json);
            return TypedResults.Empty;
        }
        finally
        {
            limiter.Exit();
        }
    }

    private static async Task<Ok<ExecutionView>> Cancel(string id, [FromBody] CancelBody? body, ExecutionDispatcher dispatcher, CancellationToken cancellationToken) =>
        TypedResults.Ok(ExecutionView.From(await dispatcher.CancelAsync(id, body?.Reason ?? "cancelled through the API", cancellationToken)));

    private static async Task<Ok<ExecutionView>> Delete(string id, ExecutionDispatcher dispatcher, CancellationToken cancellationToken) =>
        TypedResults.Ok(ExecutionView.From(await dispatcher.CancelAsync(id, "cancelled through the API (DELETE)", cancellationToken)));

    private static bool WantsStream(HttpRequest request) =>
        request.Headers.Accept.Any(value => value is not null && value.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase));

    private static long? LastEventId(HttpRequest request) =>
        long.TryParse(request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : null;
}
