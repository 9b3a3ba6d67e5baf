using System.CommandLine;

namespace MarketSpine.Cli.Commands;

/// <summary>Options every command takes.</summary>
public sealed record GlobalOptions(string? Database, bool Verbose, string? Server = null)
{
    public static readonly Option<string?> ServerOption = new("--server")
    {
        Description = "Run the command against a Market Spine server's REST API (http://host:8080) instead of the local database (default: SPINE_SERVER).",
        Recursive = true,
    };

    public static readonly Option<string?> DatabaseOption = new("--database", "--db")
    {
        Description = "SQLite database file (default: SPINE_DATABASE_PATH, else spine.db in the working directory).",
        Recursive = true,
    };

    public static readonly Option<bool> VerboseOption = new("--verbose", "-v")
    {
        Description = "Log progress to the console as well as the log file.",
        Recursive = true,
    };

    public static GlobalOptions From(ParseResult result) => new(result.GetValue(DatabaseOption), result.GetValue(VerboseOption), result.GetValue(ServerOption));
}
