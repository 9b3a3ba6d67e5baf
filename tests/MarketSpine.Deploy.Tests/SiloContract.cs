using System.Globalization;
using System.Reflection;
using MarketSpine.Actors.Hosting;
using MarketSpine.SiloHost;

namespace MarketSpine.Deploy.Tests;

/// <summary>What the deployment artefacts must agree with, taken from the silo's own code and image.</summary>
internal static class SiloContract
{
    /// <summary>The prefix of every variable the silo reads; other names are the manifests' own helpers.</summary>
    public const string VariablePrefix = "SPINE_";

    /// <summary>The verb that applies the migrations and exits.</summary>
    public const string MigrateVerb = "migrate";

    /// <summary>Every environment variable the silo host knows: the string constants of <see cref="SiloSettings"/>.</summary>
    public static IReadOnlySet<string> KnownVariables { get; } = typeof(SiloSettings)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>What a silo cannot start without.</summary>
    public static IReadOnlyList<string> SiloRequires { get; } = [SiloSettings.NameVariable, SiloSettings.EndpointVariable, SiloSettings.PostgresVariable];

    /// <summary>What the migrate verb cannot run without.</summary>
    public static IReadOnlyList<string> MigrateRequires { get; } = [SiloSettings.PostgresVariable];

    /// <summary>The file name of the silo's entry assembly.</summary>
    public static string AssemblyName { get; } = typeof(SiloSettings).Assembly.GetName().Name!;

    /// <summary>
    /// The longest a clean stop waits for running calls and <c>OnDeactivateAsync</c> with the
    /// runtime's defaults; the orchestrator must not kill a draining silo before that.
    /// </summary>
    public static TimeSpan DrainBound { get; } = Drain(new ActorsOptions());

    /// <summary>The one port the silo image exposes.</summary>
    public static int Port { get; } = ExposedPort();

    private static TimeSpan Drain(ActorsOptions defaults) => defaults.DeactivationTimeout + defaults.DefaultCallTimeout;

    private static int ExposedPort()
    {
        var ports = Dockerfile.Load(Artefacts.SiloDockerfile).FinalStage
            .Where(i => i.Keyword == "EXPOSE")
            .SelectMany(i => i.Words)
            .Select(word => int.Parse(word.Split('/')[0], CultureInfo.InvariantCulture))
            .ToList();
        return ports.Count == 1 ? ports[0] : throw new InvalidDataException($"deploy/silo.Dockerfile exposes {ports.Count} ports; the silo listens on one.");
    }
}
