using System.CommandLine;
using MarketSpine.Cli.Output;

namespace MarketSpine.Cli.Commands;

/// <summary>The <c>--format table|json|csv</c> option of commands that print rows.</summary>
public static class FormatOption
{
    public static Option<OutputFormat> Create() => new("--format", "-f")
    {
        Description = "Output format: table, json or csv.",
        DefaultValueFactory = _ => OutputFormat.Table,
    };
}
