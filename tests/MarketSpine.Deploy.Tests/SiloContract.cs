using System.Reflection;
using MarketSpine.Actors.Hosting;
using MarketSpine.SiloHost;

namespace MarketSpine.Deploy.Tests;

/// <summary>What the deployment artefacts must agree with, taken from the silo's own code.</summary>
internal static class SiloContract
{
    /// <summary>The silo's project, which deploy/silo.Dockerfile publishes.</summary>
    public const string Project = "silo/MarketSpine.Silo/MarketSpine.Silo.csproj";

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

    /// <summary>
    /// The longest a clean stop of a silo that co-hosts the API takes: the API stops first (requests in
    /// flight get the host's shutdown timeout), then the silo drains.
    /// </summary>
    public static TimeSpan StopBound { get; } = ApiContract.StopBound + DrainBound;

    /// <summary>
    /// The silo port: the runtime's default cluster port, which the image exposes and the manifests
    /// advertise (SPINE_SILO_ENDPOINT).
    /// </summary>
    public static int Port { get; } = new ClusterOptions().ListenEndpoint.Port;

    /// <summary>How often a silo renews its heartbeat and reads the membership, by default.</summary>
    public static TimeSpan HeartbeatInterval { get; } = new ClusterOptions().HeartbeatInterval;

    /// <summary>How old a silo's own heartbeat may grow before it stops itself (exit 3), by default.</summary>
    public static TimeSpan DeathTimeout { get; } = new ClusterOptions().DeathTimeout;

    private static TimeSpan Drain(ActorsOptions defaults) => defaults.DeactivationTimeout + defaults.DefaultCallTimeout;
}
