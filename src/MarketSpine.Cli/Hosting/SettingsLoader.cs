using Microsoft.Extensions.Configuration;

namespace MarketSpine.Cli.Hosting;

/// <summary>Builds <see cref="SpineSettings"/> from files and variables; see its precedence order.</summary>
public static class SettingsLoader
{
    private static readonly (string Variable, string Key)[] Variables =
    [
        ("SPINE_DATABASE_PATH", "Spine:DatabasePath"),
        ("SPINE_DATA_DIR", "Spine:DataDir"),
        ("SPINE_LOG_LEVEL", "Spine:LogLevel"),
    ];

    public static SpineSettings Load(string workingDirectory, IReadOnlyDictionary<string, string?> environment, string? databaseOverride)
    {
        var dotEnv = DotEnvFile.Read(Path.Combine(workingDirectory, ".env"));
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(workingDirectory, "appsettings.json"), optional: true)
            .AddInMemoryCollection(Map(name => dotEnv.TryGetValue(name, out var v) ? v : null))
            .AddInMemoryCollection(Map(name => environment.TryGetValue(name, out var v) ? v : null))
            .Build();

        var dataDir = Resolve(workingDirectory, configuration["Spine:DataDir"] ?? "./data");
        var database = Resolve(workingDirectory, databaseOverride ?? configuration["Spine:DatabasePath"] ?? "spine.db");
        var extensions = (environment.TryGetValue("SPINE_GRAIN_ASSEMBLIES", out var paths) ? paths ?? "" : "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new SpineSettings(database, dataDir, configuration["Spine:LogLevel"] ?? "Information")
        {
            ExtensionAssemblyPaths = [.. extensions.Select(path => Resolve(workingDirectory, path))],
        };
    }

    private static IEnumerable<KeyValuePair<string, string?>> Map(Func<string, string?> lookup) =>
        Variables.Select(v => (v.Key, Value: lookup(v.Variable)))
            .Where(v => !string.IsNullOrWhiteSpace(v.Value))
            .Select(v => new KeyValuePair<string, string?>(v.Key, v.Value));

    private static string Resolve(string workingDirectory, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(workingDirectory, path));
}
