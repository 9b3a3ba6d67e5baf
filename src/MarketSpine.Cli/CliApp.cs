using System.CommandLine;
using MarketSpine.Cli.Commands;
using MarketSpine.Cli.Hosting;
using Spectre.Console;

namespace MarketSpine.Cli;

/// <summary>
/// The <c>spine</c> command line. Tests drive it in-process with their own console, writers,
/// working directory and environment, exactly as the executable does with the real ones.
/// An embedding host may add services through <see cref="CliExtensions"/> (the tests' pipelines).
/// </summary>
public sealed class CliApp(
    IAnsiConsole console, TextWriter output, TextWriter error, string workingDirectory, IReadOnlyDictionary<string, string?> environment,
    CliExtensions? extensions = null)
{
    /// <summary>
    /// How long a command has to finish after Ctrl-C before the process ends anyway: a run cancels its
    /// execution and waits for it to stop (the runtime's stop grace), a worker stops its silo.
    /// </summary>
    private static readonly TimeSpan TerminationTimeout = TimeSpan.FromSeconds(45);

    /// <summary>Runs one command line; <paramref name="cancellationToken"/> is what Ctrl-C is to the executable (commands that run or wait stop cleanly and exit 130).</summary>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var cli = new CliContext(console, output, error, workingDirectory, environment, extensions);
        var root = new RootCommand("Market Spine: run data pipelines and keep their history. First domain: FINRA OTC weekly transparency.")
        {
            GlobalOptions.DatabaseOption,
            GlobalOptions.VerboseOption,
            GlobalOptions.ServerOption,
            DemoCommand.Build(cli),
            DbCommands.Build(cli),
            PipelineCommands.List(cli),
            PipelineCommands.Describe(cli),
            PipelineCommands.Run(cli),
            QueryCommands.Build(cli),
            CapturesCommands.Build(cli),
            ExecutionsCommands.Build(cli),
            DlqCommands.Build(cli),
            KeysCommands.Build(cli),
            WorkerCommands.Build(cli),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line per problem and exit 2, as for bad pipeline parameters.
            // "Required command was not provided" only repeats what an unknown command already says.
            var problems = parsed.Errors.Count > 1
                ? parsed.Errors.Where(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)).ToList()
                : parsed.Errors;
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"error: {problem.Message}");
            }

            await error.WriteLineAsync("Run 'spine --help' (or 'spine <command> --help') for usage.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TerminationTimeout }, cancellationToken);
    }
}
