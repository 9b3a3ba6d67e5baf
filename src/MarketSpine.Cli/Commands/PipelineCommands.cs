using System.CommandLine;
using MarketSpine.Cli.Output;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Registry;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary><c>spine list</c>, <c>spine describe</c> and <c>spine run</c>.</summary>
public static class PipelineCommands
{
    public static Command List(CliContext cli)
    {
        var format = FormatOption.Create();
        var command = new Command("list", "List the registered pipelines.") { format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: false, services =>
        {
            var pipelines = services.GetRequiredService<PipelineRegistry>().List();
            new TableWriter<PipelineDescriptor>("Pipelines",
            [
                new("name", d => d.Name),
                new("description", d => d.Description, MaxWidth: 120),
            ]).Write(result.GetValue(format), pipelines, cli.Console, cli.Output);
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    public static Command Describe(CliContext cli)
    {
        var name = new Argument<string>("pipeline") { Description = "The pipeline's name, e.g. finra.otc_transparency.run_week." };
        var format = FormatOption.Create();
        var command = new Command("describe", "Show a pipeline's parameters.") { name, format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: false, services =>
        {
            var descriptor = services.GetRequiredService<PipelineRegistry>().Get(result.GetValue(name)!);
            var writer = new TableWriter<ParameterSpec>($"{descriptor.Name}: {descriptor.Description}",
            [
                new("name", p => p.Name),
                new("type", p => p.Type.ToString().ToLowerInvariant()),
                new("required", p => p.Required ? "yes" : "no"),
                new("default", p => p.Default),
                new("allowed", p => p.AllowedValues is null ? null : string.Join(", ", p.AllowedValues)),
                new("description", p => p.Description, MaxWidth: 120),
            ]);
            var parameters = descriptor.Spec.Parameters;
            writer.Write(result.GetValue(format), parameters, cli.Console, cli.Output,
                new
                {
                    name = descriptor.Name,
                    description = descriptor.Description,
                    parameters = parameters.Select(p => new
                    {
                        name = p.Name,
                        type = p.Type.ToString().ToLowerInvariant(),
                        required = p.Required,
                        @default = p.Default,
                        allowed = p.AllowedValues,
                        description = p.Description,
                    }),
                });
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    public static Command Run(CliContext cli)
    {
        var name = new Argument<string>("pipeline") { Description = "The pipeline to run." };
        var parameters = new Option<string[]>("--param", "-p") { Description = "A parameter as key=value; repeat for more.", Arity = ArgumentArity.ZeroOrMore };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Run at most once per key: a repeat returns the first execution." };
        var logicalKey = new Option<string?>("--logical-key") { Description = "Recorded with the execution; bounds concurrency in the clustered tiers." };
        var format = FormatOption.Create();
        var command = new Command("run", "Run a pipeline and wait for its result.") { name, parameters, idempotencyKey, logicalKey, format };
        command.SetAction(result => cli.RunAsync(GlobalOptions.From(result), migrate: true, async services =>
        {
            var request = new SubmitRequest(result.GetValue(name)!, ParseParameters(result.GetValue(parameters) ?? []),
                Lane.Normal, TriggerSource.Cli, result.GetValue(logicalKey), result.GetValue(idempotencyKey));
            var dispatcher = services.GetRequiredService<Dispatcher>();
            var record = await ProgressRenderer.RunAsync(cli.Console, cli.Error,
                progress => dispatcher.SubmitAsync(request, progress, CancellationToken.None));
            return Report(cli, record, result.GetValue(format));
        }));
        return command;
    }

    /// <summary>Prints the execution and maps its status to the exit code.</summary>
    public static int Report(CliContext cli, ExecutionRecord record, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            cli.Output.WriteLine(SpineJson.Serialize(ExecutionView.From(record)));
        }
        else
        {
            ExecutionPrinter.Print(cli.Console, record);
        }

        if (record.Status == ExecutionStatus.Completed)
        {
            return ExitCodes.Ok;
        }

        cli.Error.WriteLine($"error: {record.Pipeline} {record.Status.ToText()}: {record.Error?.Code}: {record.Error?.Message}");
        // A parameter the pipeline itself refuses (a week_ending that is not a Friday, a tier the
        // file does not hold) is bad usage, exactly as when the dispatcher refuses it before the
        // run (CliContext maps ValidationError to 2): retrying the same command cannot succeed.
        return record.Error?.Code == ErrorCodes.ValidationFailed ? ExitCodes.Usage : ExitCodes.Failed;
    }

    /// <summary><c>key=value</c> pairs; a value may itself contain '='.</summary>
    public static Dictionary<string, string?> ParseParameters(IEnumerable<string> pairs)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var problems = new List<ValidationProblem>();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add(new ValidationProblem(pair, "BAD_PARAMETER_SYNTAX", $"-p '{pair}' is not key=value."));
                continue;
            }

            values[pair[..equals].Trim()] = pair[(equals + 1)..];
        }

        return problems.Count > 0 ? throw ValidationError.FromProblems(problems) : values;
    }
}
