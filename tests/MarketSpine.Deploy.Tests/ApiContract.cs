using System.Reflection;
using System.Text.RegularExpressions;
using MarketSpine.Api.FrontEnd;
using MarketSpine.Api.Health;
using MarketSpine.Api.Hosting;
using MarketSpine.SiloHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace MarketSpine.Deploy.Tests;

/// <summary>
/// What the deployment artefacts must agree with on the HTTP side: the API that the silo co-hosts
/// (<c>SPINE_HTTP</c>) and that <c>spine-api</c> serves on its own, taken from their code.
/// </summary>
internal static partial class ApiContract
{
    /// <summary>The front end's project, which deploy/api.Dockerfile publishes.</summary>
    public const string FrontEndProject = "src/MarketSpine.Api/MarketSpine.Api.csproj";

    /// <summary>
    /// The configuration section both hosts bind <see cref="ApiOptions"/> from; in the environment its
    /// keys read <c>Spine__Api__MaxEventStreams</c> and the like.
    /// </summary>
    public const string OptionsSection = "Spine:Api";

    /// <summary>The hosts that bind <see cref="OptionsSection"/>: the silo when it co-hosts the API, and spine-api.</summary>
    private static readonly string[] OptionHosts = ["silo/MarketSpine.Silo/SiloApplication.cs", "src/MarketSpine.Api/Program.cs"];

    private static string FrontEndProgram => File.ReadAllText(Path.Combine(Artefacts.Root, "src/MarketSpine.Api/Program.cs"));

    /// <summary>
    /// The variables spine-api reads: each <c>Environment.GetEnvironmentVariable("…")</c> of its
    /// Program.cs. Its top-level program has no constants to reflect on, as the silo's settings have.
    /// </summary>
    public static IReadOnlySet<string> FrontEndVariables =>
        EnvironmentRead().Matches(FrontEndProgram).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>What spine-api cannot start without: the cluster's database, under the silo's name for it.</summary>
    public static IReadOnlyList<string> FrontEndRequires { get; } = [SiloSettings.PostgresVariable];

    /// <summary>Where spine-api listens when <c>SPINE_HTTP</c> is unset: the one URL literal of its Program.cs.</summary>
    public static Uri FrontEndDefaultUrl
    {
        get
        {
            var urls = UrlLiteral().Matches(FrontEndProgram).Select(m => m.Groups["url"].Value).Distinct(StringComparer.Ordinal).ToList();
            return urls.Count == 1
                ? new Uri(urls[0])
                : throw new InvalidDataException($"src/MarketSpine.Api/Program.cs holds {urls.Count} URL literals; the tests expect one, the default of SPINE_HTTP.");
        }
    }

    /// <summary>The hosts of a listening URL that bind every address of the container (IPv4, IPv6).</summary>
    public static IReadOnlyList<string> AnyAddressHosts { get; } = ["0.0.0.0", "[::]"];

    /// <summary>The port the API listens on by convention: spine-api's default, and the one the images expose.</summary>
    public static int HttpPort => FrontEndDefaultUrl.Port;

    /// <summary>
    /// The environment names of the API's limits: <c>Spine__Api__</c> and a settable property of
    /// <see cref="ApiOptions"/>. Fails when a host no longer binds that section, so that these names stay true.
    /// </summary>
    public static IReadOnlySet<string> OptionVariables
    {
        get
        {
            var unbound = OptionHosts.Where(host => !File.ReadAllText(Path.Combine(Artefacts.Root, host)).Contains($"GetSection(\"{OptionsSection}\")", StringComparison.Ordinal)).ToList();
            return unbound.Count == 0
                ? typeof(ApiOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.CanWrite)
                    .Select(p => $"{OptionsSection.Replace(":", "__", StringComparison.Ordinal)}__{p.Name}")
                    .ToHashSet(StringComparer.Ordinal)
                : throw new InvalidDataException($"{string.Join(", ", unbound)} no longer bind{(unbound.Count == 1 ? "s" : "")} ApiOptions from \"{OptionsSection}\"; update {nameof(ApiContract)}.");
        }
    }

    /// <summary>
    /// The longest spine-api, or a silo's co-hosted API, takes to stop: requests in flight (an event
    /// stream, a <c>Prefer: wait</c>) get the generic host's shutdown timeout, then are cut off.
    /// </summary>
    public static TimeSpan StopBound { get; } = new HostOptions().ShutdownTimeout;

    /// <summary>
    /// The longest a readiness check waits for its answer (the database, the cluster): the static
    /// <see cref="TimeSpan"/> limits of every <see cref="IReadinessCheck"/> in the API.
    /// </summary>
    public static TimeSpan ReadinessCheckLimit
    {
        get
        {
            var limits = typeof(IReadinessCheck).Assembly.GetTypes()
                .Where(t => t.IsClass && typeof(IReadinessCheck).IsAssignableFrom(t))
                .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public))
                .Where(f => f.FieldType == typeof(TimeSpan))
                .Select(f => (TimeSpan)f.GetValue(null)!)
                .ToList();
            return limits.Count > 0 ? limits.Max() : throw new InvalidDataException("No readiness check has a static TimeSpan limit; update ApiContract.");
        }
    }

    private static readonly Lazy<Task<IReadOnlyList<RoutePattern>>> Routes = new(MapRoutesAsync);

    /// <summary>
    /// The API's GET routes, as the front end maps them (<c>MapSpineApi</c> over its services); the
    /// silo maps the very same. Built in-process, never started: nothing listens, nothing connects.
    /// </summary>
    public static Task<IReadOnlyList<RoutePattern>> GetRoutesAsync() => Routes.Value;

    private static async Task<IReadOnlyList<RoutePattern>> MapRoutesAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "spine-api", EnvironmentName = Environments.Production });
        // Never opened: mapping resolves services, it does not call them.
        await using var dataSource = NpgsqlDataSource.Create("Host=deploy-tests.invalid;Database=unused");
        builder.Services.AddFrontEnd(dataSource, []).AddSpineApi();
        await using var app = builder.Build();
        app.MapSpineApi();
        return
        [
            .. ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
                .Where(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? true)
                .Select(endpoint => endpoint.RoutePattern),
        ];
    }

    /// <summary>Whether one of <paramref name="routes"/> answers GET <paramref name="path"/>.</summary>
    public static bool Serves(IReadOnlyList<RoutePattern> routes, string path) =>
        routes.Any(route => new TemplateMatcher(new RouteTemplate(route), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary()));

    [GeneratedRegex("""GetEnvironmentVariable\(\s*"(?<name>[A-Za-z_][A-Za-z0-9_]*)"\s*\)""")]
    private static partial Regex EnvironmentRead();

    [GeneratedRegex(@"""(?<url>https?://[^""]+)""")]
    private static partial Regex UrlLiteral();
}
