using MarketSpine.Api.Tests.Support;
using MarketSpine.Api.TestPipelines;

namespace MarketSpine.Api.Tests;

/// <summary>
/// <c>spine --server URL</c> runs every command against a server's API with the same output as on the
/// server's own database: the CLI's commands call one interface, answered locally or over HTTP.
/// </summary>
public sealed class CliServerTests(EmbeddedServer fixture) : IClassFixture<EmbeddedServer>
{
    private string Url => fixture.Server.BaseAddress.ToString().TrimEnd('/');

    private string Database => Path.Combine(fixture.Directory, "spine.db");

    [Fact]
    public async Task Runs_through_a_server_print_what_the_local_database_prints()
    {
        var run = await Remote("run", StepsPipeline.Name, "-p", "steps=3");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("completed", run.Stdout, StringComparison.Ordinal);

        var queued = await Remote("run", StepsPipeline.Name, "-p", "steps=2", "--async");
        Assert.True(queued.ExitCode == 0, queued.ToString());
        var id = queued.Stdout.Split(' ')[0];
        Assert.StartsWith("exec_", id, StringComparison.Ordinal);

        var failed = await Remote("run", FailPipeline.Name, "--max-attempts", "1");
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("SOURCE_UNREADABLE", failed.Stderr, StringComparison.Ordinal);

        // Wait for the queued one, through the server.
        for (var i = 0; i < 200 && !(await Remote("executions", "show", id, "--format", "json")).Stdout.Contains("\"completed\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }

        foreach (var arguments in new[]
                 {
                     new[] { "list" },
                     ["describe", StepsPipeline.Name],
                     ["executions", "show", id, "--format", "json"],
                     ["executions", "show", id],
                     ["executions", "events", id, "--format", "json"],
                     ["executions", "logs", id],
                     ["executions", "list", "--pipeline", StepsPipeline.Name, "--format", "json"],
                     ["dlq", "list", "--format", "json"],
                     ["keys", "show", "nobody-holds-this", "--format", "json"],
                     ["query", "weeks", "--format", "json"],
                 })
        {
            var remote = await Remote(arguments);
            var local = await SpineCommand.RunAsync(fixture.Directory, ["--database", Database, .. arguments]);
            Assert.True(remote.ExitCode == 0, remote.ToString());
            Assert.True(local.ExitCode == 0, local.ToString());
            Assert.True(local.Stdout == remote.Stdout, $"'{string.Join(' ', arguments)}' differs.\n--- local\n{local.Stdout}\n--- remote\n{remote.Stdout}");
        }
    }

    [Fact]
    public async Task Errors_through_a_server_are_the_same_one_line_and_exit_code()
    {
        var unknown = await Remote("run", "no.such.pipeline");
        var localUnknown = await SpineCommand.RunAsync(fixture.Directory, "--database", Database, "run", "no.such.pipeline");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal(localUnknown.Stderr.Trim(), unknown.Stderr.Trim());

        var badParameter = await Remote("run", StepsPipeline.Name, "-p", "steps=many");
        Assert.Equal(2, badParameter.ExitCode);
        Assert.StartsWith("error: ", badParameter.Stderr, StringComparison.Ordinal);

        var missing = await Remote("executions", "show", "exec_nope");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("exec_nope", missing.Stderr, StringComparison.Ordinal);

        var localOnly = await Remote("db", "status");
        Assert.Equal(2, localOnly.ExitCode);
        Assert.Contains("local database only", localOnly.Stderr, StringComparison.Ordinal);

        var unreachable = await SpineCommand.RunAsync(fixture.Directory, "--server", "http://127.0.0.1:9", "list");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.StartsWith("error: UNAVAILABLE: Cannot reach the server", unreachable.Stderr, StringComparison.Ordinal);

        var malformed = await SpineCommand.RunAsync(fixture.Directory, "--server", "not a url", "list");
        Assert.Equal(2, malformed.ExitCode);
    }

    [Fact]
    public async Task Local_commands_on_the_file_a_server_serves_hand_their_runs_to_it()
    {
        var run = await Local("run", StepsPipeline.Name, "-p", "steps=2");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("spine-silo embedded", run.Stderr, StringComparison.Ordinal);

        var worker = await Local("worker", "start");
        Assert.True(worker.ExitCode == 1, worker.ToString());
        Assert.Contains("DATABASE_SERVED", worker.Stderr, StringComparison.Ordinal);

        // A cancel from the local CLI reaches the server, which runs the execution.
        var queued = await Remote("run", StepsPipeline.Name, "-p", "steps=200", "-p", "delay_ms=100", "--async");
        var id = queued.Stdout.Split(' ')[0];
        for (var i = 0; i < 200 && !(await Remote("executions", "show", id, "--format", "json")).Stdout.Contains("\"running\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }

        var cancel = await Local("executions", "cancel", id);
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        string status = "";
        for (var i = 0; i < 200 && status != "cancelled"; i++)
        {
            await Task.Delay(50);
            status = System.Text.Json.JsonDocument.Parse((await Remote("executions", "show", id, "--format", "json")).Stdout).RootElement.GetProperty("status").GetString()!;
        }

        Assert.Equal("cancelled", status);
    }

    private Task<SpineResult> Local(params string[] arguments) => SpineCommand.RunAsync(fixture.Directory, ["--database", Database, .. arguments]);

    private Task<SpineResult> Remote(params string[] arguments) => SpineCommand.RunAsync(fixture.Directory, ["--server", Url, .. arguments]);
}
