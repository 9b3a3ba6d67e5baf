using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using MarketSpine.Grains.Hosting;
using Microsoft.Extensions.Configuration;

namespace MarketSpine.SiloHost;

/// <summary>
/// What a silo process needs, from environment variables (Kubernetes: the pod's name and IP through
/// the downward API):
/// <list type="bullet">
/// <item><c>SPINE_SILO_NAME</c>: the silo's name (the pod name).</item>
/// <item><c>SPINE_SILO_ENDPOINT</c>: where peers and clients reach it, <c>ip:port</c> (<c>$(POD_IP):11111</c>);
/// it listens on every address at that port. Port 0 listens on that address at a free port and
/// advertises the port it got (local runs, tests).</item>
/// <item><c>SPINE_POSTGRES</c>: the cluster's PostgreSQL connection string.</item>
/// <item><c>SPINE_HTTP</c> (optional): where the co-hosted API listens, such as <c>http://0.0.0.0:8080</c>; no API when unset.</item>
/// <item><c>SPINE_GRAIN_ASSEMBLIES</c> (optional): paths of further assemblies whose grain classes
/// the silo hosts and whose pipelines it registers, separated by the platform's path separator (':' on Linux), for grains that ship
/// apart from the silo image.</item>
/// <item><c>Spine__Executions__*</c> (optional): how the silo runs executions (<c>ExecutionOptions</c>), such as
/// <c>Spine__Executions__MaxBacklog=50000</c>.</item>
/// </list>
/// </summary>
public sealed record SiloSettings(string Name, IPEndPoint ListenEndpoint, IPEndPoint? AdvertisedEndpoint, string PostgresConnectionString)
{
    public const string NameVariable = "SPINE_SILO_NAME";
    public const string EndpointVariable = "SPINE_SILO_ENDPOINT";
    public const string PostgresVariable = "SPINE_POSTGRES";
    public const string GrainAssembliesVariable = "SPINE_GRAIN_ASSEMBLIES";
    public const string HttpVariable = "SPINE_HTTP";

    /// <summary>Where the co-hosted API listens (<c>SPINE_HTTP</c>, such as <c>http://0.0.0.0:8080</c>); null when the silo serves no HTTP.</summary>
    public string? HttpUrls { get; init; }

    /// <summary>Assemblies beyond the built-in ones whose grain classes this silo hosts.</summary>
    public IReadOnlyList<string> GrainAssemblyPaths { get; init; } = [];

    /// <summary>Applies the operator's execution settings in <paramref name="configuration"/> over the defaults.</summary>
    public static Action<ExecutionOptions> ExecutionSettings(IConfiguration configuration) =>
        options => configuration.GetSection(ExecutionOptions.SectionName).Bind(options);

    /// <summary>The connection string alone, for the <c>migrate</c> verb; false with the reason when it is missing.</summary>
    public static bool TryReadPostgres(IConfiguration configuration, [NotNullWhen(true)] out string? connectionString, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        connectionString = configuration[PostgresVariable];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = null;
            error = MissingPostgres;
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Reads the settings; false, with every problem in <paramref name="error"/>, when they are incomplete.</summary>
    public static bool TryRead(IConfiguration configuration, [NotNullWhen(true)] out SiloSettings? settings, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var name = configuration[NameVariable];
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{NameVariable} is not set (Kubernetes: the pod name).");
        }

        var endpointText = configuration[EndpointVariable];
        IPEndPoint? endpoint = null;
        if (string.IsNullOrWhiteSpace(endpointText))
        {
            problems.Add($"{EndpointVariable} is not set: ip:port where peers reach this silo (Kubernetes: $(POD_IP):11111).");
        }
        else if (!IPEndPoint.TryParse(endpointText, out endpoint) || endpointText.LastIndexOf(':') <= endpointText.LastIndexOf(']'))
        {
            problems.Add($"{EndpointVariable} must be ip:port, not '{endpointText}'.");
            endpoint = null;
        }

        var postgres = configuration[PostgresVariable];
        if (string.IsNullOrWhiteSpace(postgres))
        {
            problems.Add(MissingPostgres);
        }

        var grainAssemblies = ExtensionPaths(configuration, problems);

        if (problems.Count > 0)
        {
            settings = null;
            error = string.Join(" ", problems);
            return false;
        }

        var any = endpoint!.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        settings = endpoint.Port == 0
            ? new SiloSettings(name!, endpoint, null, postgres!)
            : new SiloSettings(name!, new IPEndPoint(any, endpoint.Port), endpoint, postgres!);
        settings = settings with
        {
            GrainAssemblyPaths = grainAssemblies,
            HttpUrls = string.IsNullOrWhiteSpace(configuration[HttpVariable]) ? null : configuration[HttpVariable],
        };

        error = null;
        return true;
    }

    /// <summary>The paths in <c>SPINE_GRAIN_ASSEMBLIES</c>, made absolute; each that does not exist is a problem.</summary>
    internal static IReadOnlyList<string> ExtensionPaths(IConfiguration configuration, List<string> problems)
    {
        var paths = (configuration[GrainAssembliesVariable] ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        problems.AddRange(paths.Where(path => !File.Exists(path)).Select(path => $"{GrainAssembliesVariable} names '{path}', which does not exist."));
        // Empty is the shared empty list, as the property's default: settings compare equal by value.
        return paths.Length == 0 ? [] : [.. paths.Select(Path.GetFullPath)];
    }

    private static string MissingPostgres => $"{PostgresVariable} is not set: the cluster's PostgreSQL connection string.";
}
