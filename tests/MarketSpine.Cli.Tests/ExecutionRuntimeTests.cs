using System.Text.Json;
using System.Text.RegularExpressions;
using MarketSpine.Cli.Hosting;
using MarketSpine.Cli.Tests.Pipelines;
using MarketSpine.Cli.Tests.Support;

namespace MarketSpine.Cli.Tests;

/// <summary>
/// Runs as executions of the runtime (an execution grain on the CLI's embedded silo): waiting and
/// interrupting, queuing for a worker, the history, logs and cancellation of executions, dead
/// letters and logical keys. The test pipelines (test.cli.*) stand for pipelines that succeed,
/// fail, and run until cancelled.
/// </summary>
public sealed partial class ExecutionRuntimeTests
{
    private const string Key = "week:2025-11-14";

    [Fact]
    public async Task A_run_waits_for_its_execution_whose_events_and_logs_are_stored()
    {
        using var workspace = new CliWorkspace(testPipelines: true);

        var run = await workspace.RunAsync("run", StepsPipeline.Name, "-p", "steps=3", "--format", "json");

        run.AssertExit(0);
        var execution = run.Json();
        var id = execution.GetProperty("execution_id").GetString()!;
        Assert.Equal("completed", execution.GetProperty("status").GetString());
        Assert.Equal((1, 1), (execution.GetProperty("attempt").GetInt32(), execution.GetProperty("max_attempts").GetInt32()));
        Assert.Equal("step 3", execution.GetProperty("outputs").GetProperty("last_step").GetString());
        Assert.Equal(("step 3", 3L, 3L), (execution.GetProperty("progress").GetProperty("current_step").GetString(),
            execution.GetProperty("progress").GetProperty("completed").GetInt64(), execution.GetProperty("progress").GetProperty("total").GetInt64()));
        Assert.Equal("0", execution.GetProperty("params").GetProperty("delay_ms").GetString());
        Assert.Equal(JsonValueKind.Null, execution.GetProperty("dead_letter_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, execution.GetProperty("retry_of").ValueKind);
        Assert.Equal(execution.GetProperty("execution_id").GetString(), (await workspace.JsonAsync("executions", "show", id, "--format", "json")).GetProperty("execution_id").GetString());

        // The history: numbered from 1 without gaps, from created to completed; --after resumes.
        var events = (await workspace.JsonAsync("executions", "events", id, "--format", "json")).EnumerateArray().ToList();
        var types = events.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["created", "queued", "started"], types.Take(3));
        Assert.Equal("completed", types[^1]);
        Assert.Contains("stage_started", types);
        Assert.Contains("progress", types);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.All(events, e => Assert.Equal(id, e.GetProperty("execution_id").GetString()));
        var after = (await workspace.JsonAsync("executions", "events", id, "--after", "3", "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(events.Skip(3).Select(e => e.GetProperty("seq").GetInt64()), after.Select(e => e.GetProperty("seq").GetInt64()));
        var eventTable = await workspace.RunAsync("executions", "events", id);
        eventTable.AssertExit(0);
        Assert.Contains("│ created ", eventTable.Stdout, StringComparison.Ordinal);

        // The pipeline's log lines, as JSON, as plain lines, and followed to the end.
        var logs = (await workspace.JsonAsync("executions", "logs", id, "--format", "json")).EnumerateArray().ToList();
        Assert.Equal(["step 1 of 3", "step 2 of 3", "step 3 of 3"], logs.Select(l => l.GetProperty("message").GetString()));
        Assert.All(logs, l => Assert.Equal(("information", 1), (l.GetProperty("level").GetString(), l.GetProperty("attempt").GetInt32())));
        var plain = await workspace.RunAsync("executions", "logs", id, "--after", "2");
        plain.AssertExit(0);
        var line = Assert.Single(plain.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ INFORMATION +step 3 of 3$", line);
        var followed = await workspace.RunAsync("executions", "logs", id, "--follow", "--format", "json");
        followed.AssertExit(0);
        Assert.Equal(["step 1 of 3", "step 2 of 3", "step 3 of 3"],
            followed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message").GetString()));

        var table = await workspace.RunAsync("executions", "show", id);
        table.AssertExit(0);
        var lines = table.Stdout.Split('\n');
        Assert.Equal($"✓ {StepsPipeline.Name} completed  {id}", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("attempt ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 1 of 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_run_exits_1_and_its_dead_letter_is_retried_or_discarded()
    {
        using var workspace = new CliWorkspace(testPipelines: true);
        var marker = Path.Combine(workspace.Directory, "marker");

        var failed = await workspace.RunAsync("run", FailPipeline.Name, "-p", $"marker={marker}", "--format", "json");

        failed.AssertExit(1);
        Assert.Equal($"error: {FailPipeline.Name} failed: SOURCE_UNREADABLE: {marker} is not there yet.", failed.SingleErrorLine);
        var execution = failed.Json();
        var id = execution.GetProperty("execution_id").GetString()!;
        var deadLetterId = execution.GetProperty("dead_letter_id").GetString()!;
        Assert.Equal("dead_lettered", execution.GetProperty("status").GetString());
        Assert.Equal("SOURCE_UNREADABLE", execution.GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith("dlq_", deadLetterId, StringComparison.Ordinal);
        var logLine = Assert.Single((await workspace.JsonAsync("executions", "logs", id, "--format", "json")).EnumerateArray());
        Assert.Equal(("warning", $"marker {marker} missing"), (logLine.GetProperty("level").GetString(), logLine.GetProperty("message").GetString()));

        var open = Assert.Single((await workspace.JsonAsync("dlq", "list", "--format", "json")).EnumerateArray());
        Assert.Equal((deadLetterId, id, FailPipeline.Name, "open", 1), (open.GetProperty("dead_letter_id").GetString(), open.GetProperty("execution_id").GetString(),
            open.GetProperty("pipeline").GetString(), open.GetProperty("status").GetString(), open.GetProperty("attempts").GetInt32()));
        Assert.Equal("SOURCE_UNREADABLE", open.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(marker, open.GetProperty("params").GetProperty("marker").GetString());
        var shown = await workspace.JsonAsync("dlq", "show", deadLetterId, "--format", "json");
        Assert.Equal(JsonSerializer.Serialize(open), JsonSerializer.Serialize(shown));
        var shownTable = await workspace.RunAsync("dlq", "show", deadLetterId);
        shownTable.AssertExit(0);
        Assert.StartsWith($"✗ {deadLetterId} open  {FailPipeline.Name}", shownTable.Stdout, StringComparison.Ordinal);
        Assert.Contains($"  SOURCE_UNREADABLE: {marker} is not there yet.", shownTable.Stdout, StringComparison.Ordinal);
        var listed = await workspace.RunAsync("dlq", "list");
        Assert.Contains($"│ {deadLetterId} │ {id} │", listed.Stdout, StringComparison.Ordinal);

        // Retried here (--wait) once the cause is gone: a new execution, linked to the dead one.
        await File.WriteAllTextAsync(marker, "");
        var retried = await workspace.RunAsync("dlq", "retry", deadLetterId, "--wait", "--format", "json");
        retried.AssertExit(0);
        var retry = retried.Json();
        var retryId = retry.GetProperty("execution_id").GetString()!;
        Assert.Equal(("completed", id, "retry"), (retry.GetProperty("status").GetString(), retry.GetProperty("retry_of").GetString(),
            retry.GetProperty("trigger_source").GetString()));
        Assert.Equal(0, (await workspace.JsonAsync("dlq", "list", "--format", "json")).GetArrayLength());
        var resolved = Assert.Single((await workspace.JsonAsync("dlq", "list", "--status", "retried", "--format", "json")).EnumerateArray());
        Assert.Equal(retryId, resolved.GetProperty("retried_as").GetString());
        Assert.NotEqual(JsonValueKind.Null, resolved.GetProperty("resolved_at").ValueKind);
        var again = await workspace.RunAsync("dlq", "retry", deadLetterId);
        again.AssertExit(1);
        Assert.Equal($"error: INVALID_STATE: Dead letter {deadLetterId} was already retried as {retryId}.", again.SingleErrorLine);

        // Another failure, discarded: it stays listed as such and cannot be retried.
        File.Delete(marker);
        var second = await workspace.RunAsync("run", FailPipeline.Name, "-p", $"marker={marker}", "--format", "json");
        second.AssertExit(1);
        var secondLetter = second.Json().GetProperty("dead_letter_id").GetString()!;
        var discarded = await workspace.JsonAsync("dlq", "discard", secondLetter, "--format", "json");
        Assert.Equal("discarded", discarded.GetProperty("status").GetString());
        Assert.Equal(0, (await workspace.JsonAsync("dlq", "list", "--format", "json")).GetArrayLength());
        Assert.Equal(2, (await workspace.JsonAsync("dlq", "list", "--status", "all", "--format", "json")).GetArrayLength());
        var discardAgain = await workspace.RunAsync("dlq", "discard", secondLetter);
        discardAgain.AssertExit(1);
        Assert.Equal($"error: INVALID_STATE: Dead letter {secondLetter} was already discarded.", discardAgain.SingleErrorLine);
        var retryDiscarded = await workspace.RunAsync("dlq", "retry", secondLetter);
        retryDiscarded.AssertExit(1);

        var unknown = await workspace.RunAsync("dlq", "show", "dlq_nope");
        unknown.AssertExit(2);
        Assert.Equal(["error: Dead letter dlq_nope does not exist. 'spine dlq list' shows open ones."], unknown.ErrorLines);
    }

    [Fact]
    public async Task Max_attempts_retries_a_transient_failure_before_dead_lettering_it()
    {
        using var workspace = new CliWorkspace(testPipelines: true);
        var marker = Path.Combine(workspace.Directory, "never");

        var run = await workspace.RunAsync("run", FailPipeline.Name, "-p", $"marker={marker}", "--max-attempts", "2", "--format", "json");

        // The retry waits on a reminder that the running command handles itself (backoff under a second).
        run.AssertExit(1);
        var execution = run.Json();
        Assert.Equal(("dead_lettered", 2, 2), (execution.GetProperty("status").GetString(), execution.GetProperty("attempt").GetInt32(),
            execution.GetProperty("max_attempts").GetInt32()));
        var types = (await workspace.JsonAsync("executions", "events", execution.GetProperty("execution_id").GetString()!, "--format", "json"))
            .EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["started", "failed", "retried", "started", "failed", "dead_lettered"],
            types.Where(t => t is "started" or "failed" or "retried" or "dead_lettered"));
        Assert.Equal(2, Assert.Single((await workspace.JsonAsync("dlq", "list", "--format", "json")).EnumerateArray()).GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task An_idempotency_key_runs_once_and_the_submission_options_are_recorded()
    {
        using var workspace = new CliWorkspace(testPipelines: true);

        var first = await workspace.RunAsync("run", StepsPipeline.Name, "-p", "steps=1", "--idempotency-key", "weekly-2025-11-14",
            "--lane", "backfill", "--timeout", "90s", "--logical-key", Key, "--format", "json");
        var again = await workspace.RunAsync("run", StepsPipeline.Name, "-p", "steps=1", "--idempotency-key", "weekly-2025-11-14", "--format", "json");
        var queuedAgain = await workspace.RunAsync("run", StepsPipeline.Name, "-p", "steps=1", "--idempotency-key", "weekly-2025-11-14", "--async");
        var other = await workspace.RunAsync("run", StepsPipeline.Name, "-p", "steps=1", "--idempotency-key", "weekly-2025-11-21", "--format", "json");

        first.AssertExit(0);
        again.AssertExit(0);
        other.AssertExit(0);
        var execution = first.Json();
        var id = execution.GetProperty("execution_id").GetString();
        Assert.Equal(id, again.Json().GetProperty("execution_id").GetString());
        Assert.Equal($"{id} completed", queuedAgain.Stdout.Trim());
        Assert.NotEqual(id, other.Json().GetProperty("execution_id").GetString());
        Assert.Equal(("backfill", "weekly-2025-11-14", Key), (execution.GetProperty("lane").GetString(),
            execution.GetProperty("idempotency_key").GetString(), execution.GetProperty("logical_key").GetString()));
        // One run per key: the repeat neither stored nor ran anything.
        Assert.Equal(2, (await workspace.JsonAsync("executions", "list", "--format", "json")).GetArrayLength());
        Assert.Single((await workspace.JsonAsync("executions", "logs", id!, "--format", "json")).EnumerateArray());
    }

    [Fact]
    public async Task A_run_waits_for_another_run_serving_the_database_to_finish()
    {
        using var workspace = new CliWorkspace(testPipelines: true);
        var first = workspace.RunAsync("run", SleepPipeline.Name, "-p", "seconds=2");
        await CliWorkspace.EventuallyAsync(() => Task.FromResult(File.Exists(workspace.DatabasePath + ".silo.owner")), "the first run serves the database");

        var second = await workspace.RunAsync("run", StepsPipeline.Name, "-p", "steps=1");

        second.AssertExit(0);
        Assert.StartsWith($"… waiting for spine run {SleepPipeline.Name} (pid ", second.Stderr, StringComparison.Ordinal);
        (await first.WaitAsync(TimeSpan.FromSeconds(60))).AssertExit(0);
        var runs = (await workspace.JsonAsync("executions", "list", "--format", "json")).EnumerateArray().ToList();
        Assert.All(runs, r => Assert.Equal("completed", r.GetProperty("status").GetString()));
        Assert.True(runs[0].GetProperty("started_at").GetDateTimeOffset() >= runs[1].GetProperty("completed_at").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("--timeout", "soon", "error: --timeout 'soon' is not a duration such as 90s, 30m, 2h or 01:30:00.")]
    [InlineData("--max-attempts", "0", "error: --max-attempts must be between 1 and 100 (got 0).")]
    [InlineData("-p", "steps=many", "error: Parameter 'steps': 'many' is not an integer.")]
    public async Task Bad_run_options_exit_2_before_anything_is_stored(string option, string value, string expected)
    {
        using var workspace = new CliWorkspace(testPipelines: true);

        foreach (var mode in new[] { "--format", "--async" })
        {
            var result = await workspace.RunAsync(mode == "--async"
                ? ["run", StepsPipeline.Name, option, value, "--async"]
                : ["run", StepsPipeline.Name, option, value, "--format", "json"]);

            result.AssertExit(2);
            Assert.Equal([expected], result.ErrorLines);
            Assert.Equal("", result.Stdout);
        }

        var lane = await workspace.RunAsync("run", StepsPipeline.Name, "--lane", "fast");
        lane.AssertExit(2);
        var unknown = await workspace.RunAsync("run", "test.cli.stpes", "--async");
        unknown.AssertExit(2);
        Assert.Equal(["error: Unknown pipeline 'test.cli.stpes'. Did you mean: test.cli.steps?"], unknown.ErrorLines);
        Assert.Equal(0, (await workspace.JsonAsync("executions", "list", "--format", "json")).GetArrayLength());

        foreach (var command in new[] { "show", "events", "logs", "cancel" })
        {
            var missing = await workspace.RunAsync("executions", command, "exec_nope");
            missing.AssertExit(2);
            Assert.Equal(["error: Execution exec_nope does not exist. 'spine executions list' shows recent ones."], missing.ErrorLines);
        }
    }

    [Fact]
    public async Task An_async_run_stays_queued_until_a_worker_runs_it()
    {
        using var workspace = new CliWorkspace(testPipelines: true);

        var submitted = await workspace.RunAsync("run", StepsPipeline.Name, "-p", "steps=2", "--async");

        submitted.AssertExit(0);
        Assert.Matches(ExecutionLine(), submitted.Stdout.Trim());
        var id = submitted.Stdout.Trim().Split(' ')[0];
        Assert.Equal($"… it runs when a worker serves {workspace.DatabasePath}: 'spine worker start'", submitted.Stderr.Trim());
        // Past its first watchdog tick: no process claims it while no worker serves the database.
        await Task.Delay(SpineHost.QueuedWatchdogPeriod + TimeSpan.FromSeconds(1));
        Assert.Equal("queued", await workspace.StatusAsync(id));

        using var stop = new CancellationTokenSource();
        var worker = workspace.RunAsync(stop.Token, "worker", "start");
        await CliWorkspace.EventuallyAsync(async () => await workspace.StatusAsync(id) == "completed", "the worker runs the queued execution");

        var second = await workspace.RunAsync("worker", "start");
        second.AssertExit(1);
        Assert.StartsWith($"error: DATABASE_SERVED: {workspace.DatabasePath} is served by spine worker start (pid ", second.SingleErrorLine, StringComparison.Ordinal);

        await stop.CancelAsync();
        var stopped = await worker.WaitAsync(TimeSpan.FromSeconds(60));
        stopped.AssertExit(0);
        Assert.StartsWith($"● worker serving {workspace.DatabasePath} (silo spine-worker-", stopped.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 queued); Ctrl-C stops it", stopped.Stdout, StringComparison.Ordinal);
        Assert.Equal("■ worker stopped", stopped.Stdout.Trim().Split('\n')[^1]);
        var started = (await workspace.JsonAsync("executions", "events", id, "--format", "json")).EnumerateArray().Single(e => e.GetProperty("type").GetString() == "started");
        Assert.StartsWith("spine-worker-", started.GetProperty("data").GetProperty("silo").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_worker_serving_a_run_waits_for_it_and_a_cancel_reaches_its_pipeline()
    {
        using var workspace = new CliWorkspace(testPipelines: true);
        using var stop = new CancellationTokenSource();
        var worker = workspace.RunAsync(stop.Token, "worker", "start");
        await CliWorkspace.EventuallyAsync(() => Task.FromResult(File.Exists(workspace.DatabasePath + ".silo.owner")), "the worker serves the database");

        // A synchronous run while the worker serves the database: the worker runs it, the command waits.
        var run = await workspace.RunAsync("run", StepsPipeline.Name, "-p", "steps=2", "--format", "json");
        run.AssertExit(0);
        Assert.Equal("completed", run.Json().GetProperty("status").GetString());
        Assert.Contains(" which serves ", run.Stderr, StringComparison.Ordinal);

        var submitted = await workspace.RunAsync("run", SleepPipeline.Name, "--async");
        submitted.AssertExit(0);
        var id = submitted.Stdout.Trim().Split(' ')[0];
        await CliWorkspace.EventuallyAsync(async () => await workspace.StatusAsync(id) == "running", "the worker starts the sleeping execution");

        var cancel = await workspace.RunAsync("executions", "cancel", id, "--reason", "enough", "--format", "json");

        cancel.AssertExit(0);
        Assert.True(cancel.Json().GetProperty("status").GetString() is "cancelling" or "cancelled", cancel.Stdout);
        await CliWorkspace.EventuallyAsync(async () => await workspace.StatusAsync(id) == "cancelled", "the pipeline stops");
        var events = (await workspace.JsonAsync("executions", "events", id, "--format", "json")).EnumerateArray().ToList();
        Assert.Equal("enough", events.Single(e => e.GetProperty("type").GetString() == "cancel_requested").GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal("cancelled", events[^1].GetProperty("type").GetString());

        await stop.CancelAsync();
        (await worker.WaitAsync(TimeSpan.FromSeconds(60))).AssertExit(0);
    }

    [Fact]
    public async Task A_queued_execution_is_cancelled_at_once_and_only_once()
    {
        using var workspace = new CliWorkspace(testPipelines: true);
        var id = (await workspace.RunAsync("run", StepsPipeline.Name, "--async")).Stdout.Trim().Split(' ')[0];

        var cancelled = await workspace.JsonAsync("executions", "cancel", id, "--format", "json");

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(("CANCELLED", "Cancelled: cancelled from the CLI"), (cancelled.GetProperty("error").GetProperty("code").GetString(),
            cancelled.GetProperty("error").GetProperty("message").GetString()));
        var last = (await workspace.JsonAsync("executions", "events", id, "--format", "json")).EnumerateArray().Last();
        Assert.Equal(("cancelled", "cancelled from the CLI"), (last.GetProperty("type").GetString(), last.GetProperty("data").GetProperty("reason").GetString()));
        Assert.Equal(id, Assert.Single((await workspace.JsonAsync("executions", "list", "--status", "cancelled", "--format", "json")).EnumerateArray())
            .GetProperty("execution_id").GetString());

        var again = await workspace.RunAsync("executions", "cancel", id);
        again.AssertExit(1);
        Assert.Equal($"error: INVALID_STATE: Execution {id} has already ended (cancelled); there is nothing to cancel.", again.SingleErrorLine);
    }

    [Fact]
    public async Task Interrupting_a_run_cancels_its_execution_and_exits_130()
    {
        using var workspace = new CliWorkspace(testPipelines: true);
        using var interrupt = new CancellationTokenSource();
        var run = workspace.RunAsync(interrupt.Token, "run", SleepPipeline.Name, "-p", "seconds=120");
        string? id = null;
        await CliWorkspace.EventuallyAsync(async () =>
        {
            var running = await workspace.JsonAsync("executions", "list", "--status", "running", "--format", "json");
            id = running.GetArrayLength() == 1 ? running[0].GetProperty("execution_id").GetString() : null;
            return id is not null;
        }, "the run starts");

        await interrupt.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(60));

        result.AssertExit(130);
        Assert.Equal($"error: interrupted: {SleepPipeline.Name} cancelled ({id})", result.SingleErrorLine);
        Assert.Equal("cancelled", await workspace.StatusAsync(id!));
    }

    [Fact]
    public async Task A_logical_key_runs_one_execution_at_a_time_in_order_and_shows_who_holds_it()
    {
        using var workspace = new CliWorkspace(testPipelines: true);
        var holder = await SubmitAsync(workspace, SleepPipeline.Name, "--logical-key", Key);
        var second = await SubmitAsync(workspace, StepsPipeline.Name, "--logical-key", Key);
        var third = await SubmitAsync(workspace, StepsPipeline.Name, "--logical-key", Key);

        var key = await workspace.JsonAsync("keys", "show", Key, "--format", "json");
        Assert.Equal((Key, holder), (key.GetProperty("key").GetString(), key.GetProperty("holder").GetString()));
        Assert.NotEqual(JsonValueKind.Null, key.GetProperty("held_since").ValueKind);
        Assert.Equal([second, third], key.GetProperty("waiters").EnumerateArray().Select(w => w.GetString()));
        var table = await workspace.RunAsync("keys", "show", Key);
        table.AssertExit(0);
        Assert.StartsWith($"● {Key} is held by {holder} since ", table.Stdout, StringComparison.Ordinal);
        Assert.Contains($"│ holder   │ {holder} │ {SleepPipeline.Name}", table.Stdout, StringComparison.Ordinal);
        Assert.Contains($"│ 2        │ {third} │ {StepsPipeline.Name}", table.Stdout, StringComparison.Ordinal);
        var free = await workspace.JsonAsync("keys", "show", "week:2099-01-02", "--format", "json");
        Assert.Equal((JsonValueKind.Null, 0), (free.GetProperty("holder").ValueKind, free.GetProperty("waiters").GetArrayLength()));

        // Reject refuses before anything is stored; skip stores the execution, ended cancelled.
        var rejected = await workspace.RunAsync("run", StepsPipeline.Name, "--logical-key", Key, "--key-policy", "reject", "--async");
        rejected.AssertExit(1);
        Assert.Equal($"error: LOGICAL_KEY_HELD: Logical key '{Key}' is held by execution {holder}; this submission asked to be rejected then.", rejected.SingleErrorLine);
        var skipped = await workspace.RunAsync("run", StepsPipeline.Name, "--logical-key", Key, "--key-policy", "skip", "--format", "json");
        skipped.AssertExit(1);
        Assert.Equal(("cancelled", "LOGICAL_KEY_HELD"), (skipped.Json().GetProperty("status").GetString(), skipped.Json().GetProperty("error").GetProperty("code").GetString()));
        var skippedId = skipped.Json().GetProperty("execution_id").GetString();

        // Listing by key, a page at a time.
        var byKey = (await workspace.JsonAsync("executions", "list", "--logical-key", Key, "--format", "json")).EnumerateArray().Select(Id).ToList();
        Assert.Equal([skippedId, third, second, holder], byKey);
        Assert.Equal([skippedId, third], (await workspace.JsonAsync("executions", "list", "--logical-key", Key, "--limit", "2", "--format", "json")).EnumerateArray().Select(Id));
        Assert.Equal([second, holder], (await workspace.JsonAsync("executions", "list", "--before", third, "--format", "json")).EnumerateArray().Select(Id));
        Assert.Equal(0, (await workspace.JsonAsync("executions", "list", "--until", "2000-01-01", "--format", "json")).GetArrayLength());

        // A worker runs the holder; once it is cancelled, the waiters run in their order and the key is free.
        using var stop = new CancellationTokenSource();
        var worker = workspace.RunAsync(stop.Token, "worker", "start");
        await CliWorkspace.EventuallyAsync(async () => await workspace.StatusAsync(holder) == "running", "the worker runs the holder");
        Assert.Equal("queued", await workspace.StatusAsync(second));
        (await workspace.RunAsync("executions", "cancel", holder)).AssertExit(0);
        await CliWorkspace.EventuallyAsync(async () => await workspace.StatusAsync(third) == "completed", "the waiters run");
        var secondDone = (await workspace.JsonAsync("executions", "show", second, "--format", "json")).GetProperty("completed_at").GetDateTimeOffset();
        var thirdStarted = (await workspace.JsonAsync("executions", "show", third, "--format", "json")).GetProperty("started_at").GetDateTimeOffset();
        Assert.True(secondDone <= thirdStarted, $"{third} started at {thirdStarted:O}, before {second} ended at {secondDone:O}");
        await CliWorkspace.EventuallyAsync(async () =>
            (await workspace.JsonAsync("keys", "show", Key, "--format", "json")).GetProperty("holder").ValueKind == JsonValueKind.Null, "the key is released");

        await stop.CancelAsync();
        (await worker.WaitAsync(TimeSpan.FromSeconds(60))).AssertExit(0);
    }

    private static async Task<string> SubmitAsync(CliWorkspace workspace, params string[] args)
    {
        var result = await workspace.RunAsync(["run", .. args, "--async"]);
        result.AssertExit(0);
        Assert.Matches(ExecutionLine(), result.Stdout.Trim());
        return result.Stdout.Trim().Split(' ')[0];
    }

    private static string? Id(JsonElement execution) => execution.GetProperty("execution_id").GetString();

    [GeneratedRegex("^exec_[0-9a-f]{20} queued$")]
    private static partial Regex ExecutionLine();
}
