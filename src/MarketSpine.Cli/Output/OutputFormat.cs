namespace MarketSpine.Cli.Output;

/// <summary>How a command prints rows: a table for people, JSON or CSV for programs.</summary>
public enum OutputFormat
{
    Table,
    Json,
    Csv,
}
