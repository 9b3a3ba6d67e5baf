namespace MarketSpine.Cli.Hosting;

/// <summary>
/// Where the embedded store lives and how much to log. From, lowest to highest precedence:
/// appsettings.json beside the binary, appsettings.json in the working directory, a .env file
/// in the working directory, SPINE_* environment variables, and command-line options.
/// </summary>
public sealed record SpineSettings(string DatabasePath, string DataDir, string LogLevel)
{
    /// <summary>
    /// Assemblies of further pipelines and grains (<c>SPINE_GRAIN_ASSEMBLIES</c>, separated by the path
    /// separator), as a silo loads them: a local command then knows the pipelines a server runs.
    /// </summary>
    public IReadOnlyList<string> ExtensionAssemblyPaths { get; init; } = [];

    public string LogDirectory => Path.Combine(DataDir, "logs");
}
