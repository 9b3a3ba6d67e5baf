using Microsoft.Extensions.Configuration;

namespace MarketSpine.SiloHost;

/// <summary>
/// What <c>spine-silo embedded</c> needs, from environment variables, with the defaults of the
/// <c>spine</c> CLI so both open the same database:
/// <list type="bullet">
/// <item><c>SPINE_DATABASE_PATH</c>: the SQLite file (default <c>spine.db</c> in the working directory).</item>
/// <item><c>SPINE_HTTP</c>: where the API listens (default <c>http://127.0.0.1:8080</c>: this machine only).</item>
/// <item><c>SPINE_GRAIN_ASSEMBLIES</c> (optional): further assemblies of grains and pipelines, as for a clustered silo.</item>
/// <item><c>Spine__Executions__*</c> (optional): how executions run (<c>ExecutionOptions</c>), as for a clustered silo.</item>
/// </list>
/// </summary>
public sealed record EmbeddedSettings(string DatabasePath, string HttpUrls)
{
    /// <summary>Assemblies of further grains and pipelines (<c>SPINE_GRAIN_ASSEMBLIES</c>); a path that does not exist refuses the start when loaded.</summary>
    public IReadOnlyList<string> ExtensionAssemblyPaths { get; init; } = [];

    public const string DatabaseVariable = "SPINE_DATABASE_PATH";
    public const string DefaultHttpUrls = "http://127.0.0.1:8080";

    public static EmbeddedSettings Read(IConfiguration configuration, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration[DatabaseVariable] is { Length: > 0 } given ? given : "spine.db";
        return new EmbeddedSettings(
            Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(workingDirectory, path)),
            configuration[SiloSettings.HttpVariable] is { Length: > 0 } urls ? urls : DefaultHttpUrls)
        {
            // A missing file surfaces when it is loaded, with the loader's own message.
            ExtensionAssemblyPaths = SiloSettings.ExtensionPaths(configuration, []),
        };
    }
}
