using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MarketSpine.SiloHost;
using YamlDotNet.RepresentationModel;

namespace MarketSpine.Deploy.Tests;

public sealed partial class ComposeTests
{
    // Read anew by each test, so that a broken file fails the tests, not the class's initialization.
    private static YamlMappingNode Compose => Yaml.Load(Artefacts.ComposeFile).Single();

    private static Dictionary<string, YamlNode> Services =>
        ((YamlMappingNode)Compose.Get("services")).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => c.Value, StringComparer.Ordinal);

    /// <summary>The one-shot that runs the migrate verb.</summary>
    private static KeyValuePair<string, YamlNode> Migrate =>
        Services.Single(s => s.Value.Find("command") is not null && s.Value.Strings("command").SequenceEqual([SiloContract.MigrateVerb]));

    /// <summary>The services that run the migrate service's image as a silo (no command of their own).</summary>
    private static List<KeyValuePair<string, YamlNode>> Silos =>
        [.. Services.Where(s => s.Value.TextOrNull("image") == Migrate.Value.Text("image") && s.Value.Find("command") is null)];

    /// <summary>The API front end: the service built from deploy/api.Dockerfile.</summary>
    private static KeyValuePair<string, YamlNode> FrontEnd =>
        Services.Single(s => s.Value.TextOrNull("build", "dockerfile") == "deploy/api.Dockerfile");

    /// <summary>Every service that serves the API: the silos, which co-host it, and the front end.</summary>
    private static List<KeyValuePair<string, YamlNode>> ApiServers => [.. Silos.Append(FrontEnd)];

    public static TheoryData<string> SpineServices => new(Silos.Select(s => s.Key).Append(Migrate.Key).Append(FrontEnd.Key));

    [Fact]
    public void Postgres_is_version_16_with_a_pg_isready_healthcheck()
    {
        var postgres = Services["postgres"];

        Assert.Matches(@"^postgres:16(\.|-|$)", postgres.Text("image"));
        Assert.Contains(postgres.Strings("healthcheck", "test"), part => part.Contains("pg_isready", StringComparison.Ordinal));
    }

    [Fact]
    public void Migration_builds_the_silo_image_and_runs_once_postgres_is_healthy()
    {
        var migrate = Migrate.Value;

        Assert.Equal("deploy/silo.Dockerfile", migrate.Text("build", "dockerfile"));
        Assert.Equal(Artefacts.Root, Path.GetFullPath(Path.Combine(Artefacts.DeployDirectory, migrate.Text("build", "context"))).TrimEnd('/'));
        Assert.Equal("service_healthy", migrate.Text("depends_on", "postgres", "condition"));
        Assert.Equal("no", migrate.Text("restart"));
    }

    [Fact]
    public void Three_silos_start_once_postgres_is_healthy_and_the_migration_completed()
    {
        Assert.Equal(3, Silos.Count);
        foreach (var (_, silo) in Silos)
        {
            Assert.Equal("service_healthy", silo.Text("depends_on", "postgres", "condition"));
            Assert.Equal("service_completed_successfully", silo.Text("depends_on", Migrate.Key, "condition"));
        }
    }

    [Fact]
    public void Services_set_exactly_the_variables_the_silo_reads()
    {
        Assert.Equal(Environment(Migrate.Value).Keys.Order(StringComparer.Ordinal), SiloContract.MigrateRequires.Order(StringComparer.Ordinal));
        foreach (var (_, silo) in Silos)
        {
            var names = Environment(silo).Keys.ToHashSet(StringComparer.Ordinal);
            // SPINE_* from the silo's settings, and the API's limits (Spine__Api__*), which the co-hosted API binds.
            Assert.Subset(SiloContract.KnownVariables.Union(ApiContract.OptionVariables).ToHashSet(), names);
            Assert.Subset(names, SiloContract.SiloRequires.Append(SiloSettings.HttpVariable).ToHashSet());
        }
    }

    [Fact]
    public void Front_end_sets_the_variables_spine_api_reads_and_shares_the_silos_database()
    {
        var variables = Environment(FrontEnd.Value);

        Assert.Subset(ApiContract.FrontEndVariables.Union(ApiContract.OptionVariables).ToHashSet(), variables.Keys.ToHashSet());
        Assert.Subset(variables.Keys.ToHashSet(), ApiContract.FrontEndRequires.ToHashSet());
        // It finds the silos through the membership table of their database.
        Assert.Equal(Environment(Migrate.Value)[SiloSettings.PostgresVariable], variables[SiloSettings.PostgresVariable]);
        Assert.All(Silos, silo => Assert.Equal(variables[SiloSettings.PostgresVariable], Environment(silo.Value)[SiloSettings.PostgresVariable]));
    }

    [Fact]
    public void Front_end_builds_its_image_from_the_same_sources_and_starts_once_a_silo_is_ready()
    {
        var (_, frontEnd) = FrontEnd;
        var migrate = Migrate.Value;

        // The same context as the silos' image: `up --build` builds one release for both (they share the wire protocol).
        Assert.Equal(migrate.Text("build", "context"), frontEnd.Text("build", "context"));
        Assert.NotEqual(migrate.Text("image"), frontEnd.Text("image"));
        var silosItWaitsFor = Silos.Where(silo => frontEnd.TextOrNull("depends_on", silo.Key, "condition") == "service_healthy").ToList();
        Assert.NotEmpty(silosItWaitsFor);
        Assert.All(silosItWaitsFor, silo => Assert.NotNull(silo.Value.Find("healthcheck")));
        Assert.True(Duration(frontEnd.Text("stop_grace_period")) > ApiContract.StopBound, $"stop_grace_period is within the API's {ApiContract.StopBound} shutdown timeout");
        Assert.Equal("on-failure", frontEnd.Text("restart"));
    }

    [Fact]
    public void Api_servers_listen_on_every_address_and_publish_to_this_machine_only_each_at_its_own_port()
    {
        var hostPorts = new List<int>();
        foreach (var (name, service) in ApiServers)
        {
            var url = new Uri(Environment(service)[SiloSettings.HttpVariable]);
            Assert.Equal(ApiContract.HttpPort, url.Port);
            // Published ports reach the container's own address, never its loopback.
            Assert.Contains(url.Host, ApiContract.AnyAddressHosts);

            var published = Assert.Single(service.Strings("ports")).Split(':');
            Assert.True(published.Length == 3, $"{name}: publish as address:host port:container port");
            // The API has no authentication: publish it to this machine, not to the network.
            Assert.Equal("127.0.0.1", published[0]);
            Assert.Equal(url.Port, int.Parse(published[2], CultureInfo.InvariantCulture));
            hostPorts.Add(int.Parse(published[1], CultureInfo.InvariantCulture));
        }

        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
    }

    [Fact]
    public async Task Api_servers_are_healthy_when_their_readiness_endpoint_answers_200()
    {
        var routes = await ApiContract.GetRoutesAsync();
        foreach (var (name, service) in ApiServers)
        {
            var test = string.Join(' ', service.Strings("healthcheck", "test"));
            var request = HealthRequest().Match(test);
            Assert.True(request.Success, $"{name}: the healthcheck '{test}' does not GET a path from 127.0.0.1");
            Assert.Equal(new Uri(Environment(service)[SiloSettings.HttpVariable]).Port, int.Parse(request.Groups["port"].Value, CultureInfo.InvariantCulture));
            Assert.Equal("/health/ready", request.Groups["path"].Value);
            Assert.True(ApiContract.Serves(routes, request.Groups["path"].Value), $"the API does not serve {request.Groups["path"].Value}");
            Assert.Contains(" 200 ", test, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_silo_has_its_own_name_and_advertises_its_fixed_address_on_the_image_port()
    {
        var subnet = IPNetwork.Parse(Assert.Single(Compose.Items("networks", Network, "ipam", "config")).Text("subnet"));
        var environments = Silos.Select(s => (Service: s.Value, Variables: Environment(s.Value))).ToList();

        Assert.Equal(Silos.Count, environments.Select(e => e.Variables[SiloSettings.NameVariable]).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Silos.Count, environments.Select(e => e.Variables[SiloSettings.EndpointVariable]).Distinct(StringComparer.Ordinal).Count());
        foreach (var (service, variables) in environments)
        {
            // The silo wants ip:port, never a host name: a Compose service name does not parse.
            var endpoint = IPEndPoint.Parse(variables[SiloSettings.EndpointVariable]);
            Assert.Equal(SiloContract.Port, endpoint.Port);
            Assert.Equal(endpoint.Address, IPAddress.Parse(service.Text("networks", Network, "ipv4_address")));
            Assert.True(subnet.Contains(endpoint.Address), $"{endpoint.Address} is outside the spine network's {subnet}");
        }
    }

    [Fact]
    public void Silos_outlast_the_drain_and_restart_after_losing_their_membership()
    {
        foreach (var (name, silo) in Silos)
        {
            // The co-hosted API stops first (its requests in flight), then the silo drains.
            var grace = Duration(silo.Text("stop_grace_period"));
            Assert.True(grace > SiloContract.StopBound, $"{name}: stop_grace_period {grace} is within the stop bound {SiloContract.StopBound}");
            // Exit 3 (membership lost) asks for a restart; exit 0 (a clean stop) must not get one.
            Assert.Equal("on-failure", silo.Text("restart"));
        }
    }

    [Theory]
    [MemberData(nameof(SpineServices))]
    public void Spine_containers_run_read_only_without_capabilities(string service)
    {
        var container = Services[service];

        Assert.Equal("true", container.Text("read_only"));
        Assert.Contains("/tmp", container.Strings("tmpfs"));
        Assert.Equal(["ALL"], container.Strings("cap_drop"));
        Assert.Contains("no-new-privileges:true", container.Strings("security_opt"));
    }

    private static string Network => Assert.Single(((YamlMappingNode)Compose.Get("networks")).Children.Keys.Select(k => ((YamlScalarNode)k).Value!));

    /// <summary>A service's environment, in either of Compose's forms (a mapping, or a list of NAME=value).</summary>
    private static Dictionary<string, string> Environment(YamlNode service) => service.Get("environment") switch
    {
        YamlMappingNode mapping => mapping.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "", StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(c => ((YamlScalarNode)c).Value!.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal),
        var other => throw new InvalidDataException($"environment at line {other.Start.Line} is neither a mapping nor a list"),
    };

    /// <summary>A Compose duration such as <c>90s</c> or <c>1m30s</c>.</summary>
    private static TimeSpan Duration(string text)
    {
        var match = DurationPattern().Match(text);
        Assert.True(match.Success, $"'{text}' is not a duration of hours, minutes and seconds");
        int Part(string unit) => match.Groups[unit].Success ? int.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;
        return new TimeSpan(Part("h"), Part("m"), Part("s"));
    }

    [GeneratedRegex(@"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$")]
    private static partial Regex DurationPattern();

    /// <summary>The request of a bash <c>/dev/tcp</c> healthcheck: the port it opens and the path it asks.</summary>
    [GeneratedRegex(@"/dev/tcp/127\.0\.0\.1/(?<port>\d+)\b.*\bGET (?<path>/\S*) HTTP/")]
    private static partial Regex HealthRequest();
}
