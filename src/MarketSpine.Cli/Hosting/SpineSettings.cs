namespace MarketSpine.Cli.Hosting;

/// <summary>
/// Where the embedded store lives and how much to log. From, lowest to highest precedence:
/// appsettings.json beside the binary, appsettings.json in the working directory, a .env file
/// in the working directory, SPINE_* environment variables, and command-line options.
/// </summary>
public sealed record SpineSettings(string DatabasePath, string DataDir, string LogLevel)
{
    public string LogDirectory => Path.Combine(DataDir, "logs");
}
