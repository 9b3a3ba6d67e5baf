using System.Collections.Concurrent;
using System.Globalization;
using MarketSpine.Core.Contracts;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Cli.Remote;

/// <summary>The command layer of a remote server, over its REST API (<c>spine --server URL ...</c>).</summary>
public sealed class HttpExecutionCommands(RemoteServer server) : IExecutionCommands
{
    /// <summary>
    /// Rows per request: the CLI asks for up to 10,000 at once, a server answers at most its page size
    /// (1,000 by default), so longer reads are several pages.
    /// </summary>
    private const int Page = 500;

    /// <summary>Dead-letter ids as the views named them: the API answers an execution with its dead letter.</summary>
    private readonly ConcurrentDictionary<string, string> _deadLetters = new(StringComparer.Ordinal);

    public async Task<ExecutionRecord> SubmitAsync(SubmitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new SubmitBody(request.Pipeline, request.Parameters, request.Lane.ToString().ToLowerInvariant(), request.LogicalKey,
            request.KeyPolicy.ToString().ToLowerInvariant(), request.IdempotencyKey, request.Retry?.MaxAttempts, request.RunTimeout?.TotalSeconds);
        var accepted = await server.PostAsync<SubmitAccepted>("/v1/executions", body, cancellationToken);
        return await GetAsync(accepted.ExecutionId, cancellationToken);
    }

    public async Task<ExecutionRecord> CancelAsync(string executionId, string reason, CancellationToken cancellationToken) =>
        Keep(await server.PostAsync<ExecutionView>($"{ExecutionLinks.Self(executionId)}/cancel", new { reason }, cancellationToken));

    public async Task<ExecutionRecord> WaitAsync(string executionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Reading the execution every quarter second, as the CLI's progress display does on a local database.
        var deadline = DateTimeOffset.UtcNow + timeout;
        var record = await GetAsync(executionId, cancellationToken);
        while (!record.IsTerminal && DateTimeOffset.UtcNow < deadline)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            await Task.Delay(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250), cancellationToken);
            record = await GetAsync(executionId, cancellationToken);
        }

        return record;
    }

    public async Task<ExecutionRecord> GetAsync(string executionId, CancellationToken cancellationToken) =>
        Keep(await server.GetAsync<ExecutionView>(ExecutionLinks.Self(executionId), cancellationToken));

    public async Task<IReadOnlyList<ExecutionRecord>> ListAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var records = new List<ExecutionRecord>();
        var cursor = query.Before;
        while (records.Count < query.Limit)
        {
            var parameters = new List<string> { $"limit={Math.Min(Page, query.Limit - records.Count)}" };
            Add(parameters, "status", query.Status?.ToText());
            Add(parameters, "pipeline", query.Pipeline);
            Add(parameters, "logical_key", query.LogicalKey);
            Add(parameters, "parent_execution_id", query.ParentExecutionId);
            Add(parameters, "since", query.Since?.ToString("O", CultureInfo.InvariantCulture));
            Add(parameters, "until", query.Until?.ToString("O", CultureInfo.InvariantCulture));
            Add(parameters, "cursor", cursor);
            var page = await server.GetAsync<ExecutionPage>($"/v1/executions?{string.Join('&', parameters)}", cancellationToken);
            records.AddRange(page.Items.Select(Keep));
            if (page.NextCursor is null)
            {
                break;
            }

            cursor = page.NextCursor;
        }

        return records;
    }

    public async Task<IReadOnlyList<ExecutionEvent>> EventsAsync(string executionId, long afterSequence, int limit, CancellationToken cancellationToken) =>
        [.. (await ReadAllAsync<EventView>(ExecutionLinks.Events(executionId), afterSequence, limit, view => view.Seq, cancellationToken)).Select(e => e.ToEvent())];

    public async Task<IReadOnlyList<ExecutionLogLine>> LogsAsync(string executionId, long afterSequence, int limit, CancellationToken cancellationToken) =>
        [.. (await ReadAllAsync<LogLineView>(ExecutionLinks.Logs(executionId), afterSequence, limit, view => view.Seq, cancellationToken)).Select(l => l.ToLine())];

    public async Task<IReadOnlyList<string?>> DeadLetterIdsOfAsync(IReadOnlyList<ExecutionRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        // The server's views name their dead letters, kept as they were read: most are known already.
        var ids = new string?[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            ids[i] = await DeadLetterIdOfAsync(records[i], cancellationToken);
        }

        return ids;
    }

    public async Task<string?> DeadLetterIdOfAsync(ExecutionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Status != ExecutionStatus.DeadLettered)
        {
            return null;
        }

        if (!_deadLetters.TryGetValue(record.ExecutionId, out var id))
        {
            await GetAsync(record.ExecutionId, cancellationToken);
            _deadLetters.TryGetValue(record.ExecutionId, out id);
        }

        return id;
    }

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var letters = new List<DeadLetter>();
        var cursor = query.Before;
        while (letters.Count < query.Limit)
        {
            var parameters = new List<string> { $"limit={Math.Min(Page, query.Limit - letters.Count)}", $"status={query.Status?.ToString().ToLowerInvariant() ?? "all"}" };
            Add(parameters, "pipeline", query.Pipeline);
            Add(parameters, "cursor", cursor);
            var page = await server.GetAsync<DeadLetterPage>($"/v1/dead-letters?{string.Join('&', parameters)}", cancellationToken);
            letters.AddRange(page.Items.Select(d => d.ToDeadLetter()));
            if (page.NextCursor is null)
            {
                break;
            }

            cursor = page.NextCursor;
        }

        return letters;
    }

    public async Task<DeadLetter> GetDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken) =>
        (await server.GetAsync<DeadLetterView>($"/v1/dead-letters/{Uri.EscapeDataString(deadLetterId)}", cancellationToken)).ToDeadLetter();

    public async Task<ExecutionRecord> RetryDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken)
    {
        var accepted = await server.PostAsync<SubmitAccepted>($"/v1/dead-letters/{Uri.EscapeDataString(deadLetterId)}/retry", new { }, cancellationToken);
        return await GetAsync(accepted.ExecutionId, cancellationToken);
    }

    public async Task<DeadLetter> DiscardDeadLetterAsync(string deadLetterId, CancellationToken cancellationToken) =>
        (await server.PostAsync<DeadLetterView>($"/v1/dead-letters/{Uri.EscapeDataString(deadLetterId)}/discard", new { }, cancellationToken)).ToDeadLetter();

    public Task<KeyView> GetKeyAsync(string key, CancellationToken cancellationToken) =>
        server.GetAsync<KeyView>($"/v1/logical-keys/{Uri.EscapeDataString(key)}", cancellationToken);

    /// <summary>Up to <paramref name="limit"/> rows after <paramref name="after"/>, a page at a time.</summary>
    private async Task<List<T>> ReadAllAsync<T>(string path, long after, int limit, Func<T, long> sequence, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        while (rows.Count < limit)
        {
            var count = Math.Min(Page, limit - rows.Count);
            var page = await server.GetAsync<StreamPage<T>>($"{path}?after={after}&limit={count}", cancellationToken);
            rows.AddRange(page.Items);
            if (page.Items.Count < count)
            {
                break;
            }

            after = sequence(page.Items[^1]);
        }

        return rows;
    }

    private ExecutionRecord Keep(ExecutionView view)
    {
        if (view.DeadLetterId is { } deadLetterId)
        {
            _deadLetters[view.ExecutionId] = deadLetterId;
        }

        return view.ToRecord();
    }

    private static void Add(List<string> parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }

    /// <summary>The submission body of the API (<c>POST /v1/executions</c>).</summary>
    private sealed record SubmitBody(
        string Pipeline, IReadOnlyDictionary<string, string?> Params, string Lane, string? LogicalKey, string KeyPolicy, string? IdempotencyKey,
        int? MaxAttempts, double? TimeoutSeconds);
}
