using System.Globalization;
using System.Text.RegularExpressions;
using MarketSpine.SiloHost;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace MarketSpine.Deploy.Tests;

public sealed partial class KubernetesManifestTests
{
    private static readonly string[] TypeKeys = ["apiVersion", "kind"];
    private static readonly string[] Probes = ["startupProbe", "readinessProbe", "livenessProbe"];
    private static readonly string[] ResourceBounds = ["requests", "limits"];
    private static readonly string[] Resources = ["cpu", "memory"];

    // The API's endpoints the deployment depends on (docs/api.md); the tests check that the API serves them.
    private const string LivenessPath = "/health";
    private const string ReadinessPath = "/health/ready";
    private const string MetricsPath = "/health/metrics";

    // The container port the API listens on, which the probes, the annotations and the spine-api Service name.
    private const string HttpPortName = "http";

    // Read anew by each test, so that a broken manifest fails the tests that read it, not the class.
    private static YamlMappingNode Silos => Artefacts.Manifest("Deployment");

    private static YamlMappingNode Migration => Artefacts.Manifest("Job");

    public static TheoryData<string> YamlFiles => new(Artefacts.YamlFiles(Artefacts.DeployDirectory).Select(Artefacts.Relative));

    public static TheoryData<string> Workloads => new("Deployment", "Job");

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Every_yaml_file_under_deploy_parses(string file)
    {
        Assert.NotEmpty(Yaml.Load(Path.Combine(Artefacts.Root, file)));
    }

    [Fact]
    public void Every_manifest_has_an_api_version_a_kind_and_a_name_and_no_namespace()
    {
        var manifests = Artefacts.YamlFiles(Artefacts.KubernetesDirectory)
            .Where(f => f != Artefacts.KustomizationFile)
            .SelectMany(f => Yaml.Load(f).Select(m => (File: Path.GetFileName(f), Manifest: m)))
            .ToList();
        Assert.NotEmpty(manifests);

        var problems = new List<string>();
        foreach (var (file, manifest) in manifests)
        {
            problems.AddRange(TypeKeys.Where(key => string.IsNullOrWhiteSpace(manifest.TextOrNull(key))).Select(key => $"{file}: no {key}"));
            if (string.IsNullOrWhiteSpace(manifest.TextOrNull("metadata", "name")))
            {
                problems.Add($"{file}: no metadata.name");
            }

            // Namespace-agnostic: `kubectl apply -k deploy/k8s -n <ns>` or an overlay chooses.
            if (manifest.Find("metadata", "namespace") is not null)
            {
                problems.Add($"{file}: sets metadata.namespace");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Kustomization_applies_exactly_the_manifests_present_and_never_the_example()
    {
        var kustomization = Yaml.Load(Artefacts.KustomizationFile).Single();
        var listed = kustomization.Strings("resources");
        var present = Artefacts.YamlFiles(Artefacts.KubernetesDirectory)
            .Where(f => f != Artefacts.KustomizationFile && !Artefacts.IsExample(f))
            .Select(f => Path.GetRelativePath(Artefacts.KubernetesDirectory, f).Replace('\\', '/'));

        Assert.Equal("Kustomization", kustomization.Text("kind"));
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(present.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Null(kustomization.Find("namespace"));
    }

    [Fact]
    public void Kustomization_image_override_names_the_image_both_workloads_run()
    {
        var overridden = Yaml.Load(Artefacts.KustomizationFile).Single().Items("images").Select(i => i.Text("name")).ToList();

        var siloImage = Assert.Single(Containers(Silos)).Text("image");
        var migrationImage = Assert.Single(Containers(Migration)).Text("image");

        // The Job must migrate with the very build the silos run: a silo refuses any other schema.
        Assert.Equal(siloImage, migrationImage);
        Assert.Contains(siloImage, overridden);
    }

    [Fact]
    public void Silos_run_three_replicas_preferably_on_different_nodes()
    {
        var podLabels = Silos.Pairs("spec", "template", "metadata", "labels");
        var term = Assert.Single(Silos.Items("spec", "template", "spec", "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution"));

        Assert.Equal("3", Silos.Text("spec", "replicas"));
        Assert.Subset(podLabels.ToHashSet(), Silos.Pairs("spec", "selector", "matchLabels").ToHashSet());
        Assert.Equal("kubernetes.io/hostname", term.Text("podAffinityTerm", "topologyKey"));
        Assert.Subset(podLabels.ToHashSet(), term.Pairs("podAffinityTerm", "labelSelector", "matchLabels").ToHashSet());
    }

    [Fact]
    public void Silo_container_sets_exactly_the_variables_the_silo_reads()
    {
        var names = Env(Assert.Single(Containers(Silos))).Select(e => e.Name).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        // SPINE_* from the silo's settings, and the API's limits (Spine__Api__*), which the co-hosted API binds.
        Assert.Subset(SiloContract.KnownVariables.Union(ApiContract.OptionVariables).ToHashSet(), names.Where(IsProgramVariable).ToHashSet());
        Assert.Subset(names.ToHashSet(), SiloContract.SiloRequires.Append(SiloSettings.HttpVariable).ToHashSet());
    }

    [Fact]
    public void Migration_container_sets_the_variables_the_migrate_verb_reads()
    {
        var names = Env(Assert.Single(Containers(Migration))).Select(e => e.Name).ToList();

        Assert.Equal(SiloContract.MigrateRequires.Order(StringComparer.Ordinal), names.Where(IsProgramVariable).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Helper_variables_are_defined_before_use_and_used(string kind)
    {
        var env = Env(Assert.Single(Containers(Artefacts.Manifest(kind))));
        var problems = new List<string>();
        for (var i = 0; i < env.Count; i++)
        {
            var value = env[i].Entry.TextOrNull("value") ?? "";
            // Kubernetes expands $(NAME) only for variables listed earlier in the same container.
            problems.AddRange(Reference().Matches(value).Select(m => m.Groups["name"].Value)
                .Where(name => !env.Take(i).Any(e => e.Name == name))
                .Select(name => $"{env[i].Name} refers to $({name}), which is not defined before it"));
            if (!IsProgramVariable(env[i].Name) && !env.Skip(i + 1).Any(e => (e.Entry.TextOrNull("value") ?? "").Contains($"$({env[i].Name})", StringComparison.Ordinal)))
            {
                problems.Add($"{env[i].Name} is neither read by the silo nor referred to by a later variable");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Silo_takes_its_name_and_endpoint_from_the_downward_api()
    {
        var env = Env(Assert.Single(Containers(Silos))).ToDictionary(e => e.Name, e => e.Entry, StringComparer.Ordinal);
        var endpoint = env[SiloSettings.EndpointVariable].Text("value");
        var podIp = Reference().Match(endpoint).Groups["name"].Value;

        Assert.Equal("metadata.name", env[SiloSettings.NameVariable].Text("valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal($"$({podIp}):{SiloContract.Port}", endpoint);
        Assert.Equal("status.podIP", env[podIp].Text("valueFrom", "fieldRef", "fieldPath"));
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Connection_string_comes_from_the_secret_the_example_shows(string kind)
    {
        var (_, secret) = Artefacts.ExampleSecret();
        var reference = Env(Assert.Single(Containers(Artefacts.Manifest(kind))))
            .Single(e => e.Name == SiloSettings.PostgresVariable).Entry.Get("valueFrom", "secretKeyRef");

        Assert.Equal(secret.Text("metadata", "name"), reference.Text("name"));
        Assert.Contains(reference.Text("key"), secret.Pairs("stringData").Keys);
    }

    [Fact]
    public void Example_secret_is_marked_as_an_example_and_holds_no_real_password()
    {
        var (file, secret) = Artefacts.ExampleSecret();
        var connectionString = Assert.Single(secret.Pairs("stringData").Values);

        Assert.Equal("true", secret.Text("metadata", "annotations", "market-spine/example"));
        Assert.StartsWith("# EXAMPLE ONLY", File.ReadLines(file).First(), StringComparison.Ordinal);
        Assert.Contains("EXAMPLE", new NpgsqlConnectionStringBuilder(connectionString).Password, StringComparison.Ordinal);
    }

    [Fact]
    public void Silo_ports_are_the_ports_the_image_exposes_named_silo_and_http()
    {
        var container = Assert.Single(Containers(Silos));
        var ports = container.Items("ports").ToDictionary(p => p.Text("name"), p => Port(container, p.Get("containerPort")), StringComparer.Ordinal);

        Assert.Equal(new Dictionary<string, int>(StringComparer.Ordinal) { ["silo"] = SiloContract.Port, [HttpPortName] = ApiContract.HttpPort }, ports);
        Assert.Equal(Dockerfile.Load(Artefacts.SiloDockerfile).ExposedPorts.Order(), ports.Values.Order());
    }

    [Fact]
    public void Silo_co_hosts_the_api_on_every_address_at_its_http_port()
    {
        var container = Assert.Single(Containers(Silos));
        var url = new Uri(Env(container).Single(e => e.Name == SiloSettings.HttpVariable).Entry.Text("value"));

        Assert.Equal(Uri.UriSchemeHttp, url.Scheme);
        // The kubelet probes and the Service reach the pod IP: a loopback address would fail them all.
        Assert.Contains(url.Host, ApiContract.AnyAddressHosts);
        Assert.Equal(Port(container, HttpPortName), url.Port);
    }

    [Fact]
    public async Task Silo_probes_ask_the_apis_health_endpoints_on_the_http_port()
    {
        var container = Assert.Single(Containers(Silos));
        var routes = await ApiContract.GetRoutesAsync();

        foreach (var probe in Probes)
        {
            Assert.True(container.Find(probe, "httpGet") is not null, $"{probe} is not an httpGet probe: the API's health endpoints speak for the silo");
            Assert.Equal(ApiContract.HttpPort, Port(container, container.Get(probe, "httpGet", "port")));
            var path = container.Text(probe, "httpGet", "path");
            Assert.True(ApiContract.Serves(routes, path), $"{probe} asks {path}, which the API does not serve");
        }

        Assert.Equal(ReadinessPath, container.Text("readinessProbe", "httpGet", "path"));
        Assert.Equal(LivenessPath, container.Text("livenessProbe", "httpGet", "path"));
        // A database slow to answer must not get a starting silo killed: startup asks liveness, not readiness.
        Assert.NotEqual(ReadinessPath, container.Text("startupProbe", "httpGet", "path"));
    }

    [Fact]
    public void Readiness_waits_for_the_checks_own_limit_and_liveness_for_a_silo_to_stop_itself()
    {
        var container = Assert.Single(Containers(Silos));
        var readinessTimeout = TimeSpan.FromSeconds(Seconds(container, "readinessProbe", "timeoutSeconds", 1));
        var livenessWindow = TimeSpan.FromSeconds(Seconds(container, "livenessProbe", "periodSeconds", 10) * Seconds(container, "livenessProbe", "failureThreshold", 3));

        // Past its limit a check answers 503 with the reason; a shorter probe timeout would hide it.
        Assert.True(readinessTimeout > ApiContract.ReadinessCheckLimit, $"the readiness probe times out after {readinessTimeout.TotalSeconds} s, within the checks' {ApiContract.ReadinessCheckLimit.TotalSeconds} s");
        // A silo that cannot renew its heartbeat exits 3 by itself; liveness is for a hung process only.
        Assert.True(livenessWindow > SiloContract.DeathTimeout * 2, $"liveness kills after {livenessWindow.TotalSeconds} s; a silo stops itself after {SiloContract.DeathTimeout.TotalSeconds} s without a heartbeat");
    }

    [Fact]
    public void Rollout_waits_for_a_new_silo_to_keep_its_membership_before_draining_an_old_one()
    {
        var minReady = TimeSpan.FromSeconds(int.Parse(Silos.Text("spec", "minReadySeconds"), CultureInfo.InvariantCulture));

        Assert.Equal("0", Silos.Text("spec", "strategy", "rollingUpdate", "maxUnavailable"));
        // A silo that becomes active but cannot renew its heartbeat stops itself within the death
        // timeout, checked every heartbeat; it must not count as available before that.
        Assert.True(minReady >= SiloContract.DeathTimeout + SiloContract.HeartbeatInterval,
            $"minReadySeconds is {minReady.TotalSeconds}; a silo that cannot keep its membership stops only after {(SiloContract.DeathTimeout + SiloContract.HeartbeatInterval).TotalSeconds} s");
    }

    [Fact]
    public async Task Prometheus_scrapes_the_apis_metrics_on_the_http_port()
    {
        var annotations = Silos.Pairs("spec", "template", "metadata", "annotations");
        var container = Assert.Single(Containers(Silos));

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal(Port(container, HttpPortName).ToString(CultureInfo.InvariantCulture), annotations["prometheus.io/port"]);
        Assert.Equal(MetricsPath, annotations["prometheus.io/path"]);
        Assert.True(ApiContract.Serves(await ApiContract.GetRoutesAsync(), MetricsPath), $"the API does not serve {MetricsPath}");
    }

    [Fact]
    public void Workloads_have_resource_bounds()
    {
        AssertResourceBounds(Assert.Single(Containers(Silos)));
        AssertResourceBounds(Assert.Single(Containers(Migration)));
    }

    [Fact]
    public void Grace_period_outlasts_the_pause_the_api_stop_and_the_drain()
    {
        var container = Assert.Single(Containers(Silos));
        var grace = TimeSpan.FromSeconds(int.Parse(Silos.Text("spec", "template", "spec", "terminationGracePeriodSeconds"), CultureInfo.InvariantCulture));
        // The preStop pause counts against the grace period too.
        var stop = PreStopPause(container) + SiloContract.StopBound;

        Assert.True(grace >= TimeSpan.FromSeconds(30), $"terminationGracePeriodSeconds is {grace.TotalSeconds}, less than 30 s");
        Assert.True(grace > stop, $"terminationGracePeriodSeconds is {grace.TotalSeconds}; a clean stop may take {stop.TotalSeconds} s (pause, API, drain) and then leaves the membership");
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Workloads_run_unprivileged_with_a_read_only_root(string kind)
    {
        var pod = Artefacts.Manifest(kind).Get("spec", "template", "spec");
        var container = Assert.Single(pod.Items("containers"));
        var mounts = container.Items("volumeMounts").Select(m => m.Text("mountPath"));

        Assert.Equal("true", pod.Text("securityContext", "runAsNonRoot"));
        Assert.Equal("false", container.Text("securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("true", container.Text("securityContext", "readOnlyRootFilesystem"));
        Assert.Contains("ALL", container.Strings("securityContext", "capabilities", "drop"));
        Assert.Null(container.Find("securityContext", "privileged"));
        // The runtime writes its diagnostics socket to /tmp; a read-only root needs a volume there.
        Assert.Contains("/tmp", mounts);
    }

    [Fact]
    public void Migration_job_runs_the_migrate_verb_and_retries_a_bounded_number_of_times()
    {
        var container = Assert.Single(Containers(Migration));

        Assert.Equal([SiloContract.MigrateVerb], container.Strings("args"));
        Assert.Null(container.Find("command")); // the image's entrypoint is spine-silo
        Assert.Equal("OnFailure", Migration.Text("spec", "template", "spec", "restartPolicy"));
        Assert.InRange(int.Parse(Migration.Text("spec", "backoffLimit"), CultureInfo.InvariantCulture), 1, 10);
    }

    [Fact]
    public void Disruption_budget_and_services_select_exactly_the_silos()
    {
        var selector = Silos.Pairs("spec", "selector", "matchLabels");
        var budget = Artefacts.Manifest("PodDisruptionBudget");

        Assert.Equal("1", budget.Text("spec", "maxUnavailable"));
        Assert.Equal(selector, budget.Pairs("spec", "selector", "matchLabels"));
        foreach (var service in Artefacts.Manifests("Service"))
        {
            Assert.Equal(selector, service.Pairs("spec", "selector"));
        }

        // The Job's pods must not count as silos.
        Assert.False(selector.All(l => Migration.Pairs("spec", "template", "metadata", "labels").Contains(l)), "the silo selector also selects the migration Job's pods");
    }

    [Fact]
    public void Every_service_port_targets_a_named_port_of_the_silo_container()
    {
        var container = Assert.Single(Containers(Silos));
        var names = container.Items("ports").Select(p => p.Text("name")).ToList();
        var problems = Artefacts.Manifests("Service")
            .SelectMany(service => service.Items("spec", "ports").Select(port => (Service: service.Text("metadata", "name"), Target: port.Text("targetPort"))))
            .Where(p => !names.Contains(p.Target))
            .Select(p => $"{p.Service} targets {p.Target}, which is not a named port of the silo container");

        Assert.Empty(problems);
    }

    [Fact]
    public void Silo_service_is_headless_on_the_silo_port()
    {
        var container = Assert.Single(Containers(Silos));
        var service = Artefacts.Manifest("Service", "spine-silo");
        var port = Assert.Single(service.Items("spec", "ports"));

        Assert.Equal("None", service.Text("spec", "clusterIP"));
        Assert.Equal(SiloContract.Port, Port(container, port.Get("port")));
        Assert.Equal(SiloContract.Port, Port(container, port.Get("targetPort")));
    }

    [Fact]
    public void Api_service_balances_port_80_over_the_silos_http_port()
    {
        var container = Assert.Single(Containers(Silos));
        var service = Artefacts.Manifest("Service", "spine-api");
        var port = Assert.Single(service.Items("spec", "ports"));

        Assert.Equal("ClusterIP", service.TextOrNull("spec", "type") ?? "ClusterIP");
        Assert.Null(service.Find("spec", "clusterIP")); // a virtual IP, not headless
        Assert.Equal(HttpPortName, port.Text("name"));
        Assert.Equal("80", port.Text("port"));
        Assert.Equal(ApiContract.HttpPort, Port(container, port.Get("targetPort")));
    }

    /// <summary>A variable a program reads (SPINE_*, the API's Spine__Api__* limits), as opposed to a helper of the manifest's own.</summary>
    private static bool IsProgramVariable(string name) =>
        name.StartsWith(SiloContract.VariablePrefix, StringComparison.Ordinal) || ApiContract.OptionVariables.Contains(name);

    /// <summary>An integer field of a probe, or Kubernetes' default when it is not set.</summary>
    private static int Seconds(YamlNode container, string probe, string field, int defaultValue) =>
        container.TextOrNull(probe, field) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : defaultValue;

    private static IReadOnlyList<YamlNode> Containers(YamlNode workload) => workload.Items("spec", "template", "spec", "containers");

    private static IReadOnlyList<(string Name, YamlNode Entry)> Env(YamlNode container) =>
        [.. container.Items("env").Select(e => (e.Text("name"), e))];

    /// <summary>A port number, or a container port's name resolved to its number.</summary>
    private static int Port(YamlNode container, YamlNode port) => Port(container, ((YamlScalarNode)port).Value!);

    private static int Port(YamlNode container, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : int.Parse(container.Items("ports").Single(p => p.TextOrNull("name") == text).Text("containerPort"), CultureInfo.InvariantCulture);

    /// <summary>How long the container's preStop hook holds SIGTERM back: none, or a <c>sleep</c> of whole seconds.</summary>
    private static TimeSpan PreStopPause(YamlNode container) => container.Find("lifecycle", "preStop") is null
        ? TimeSpan.Zero
        : container.Strings("lifecycle", "preStop", "exec", "command") switch
        {
            ["sleep", var seconds] => TimeSpan.FromSeconds(int.Parse(seconds, NumberStyles.None, CultureInfo.InvariantCulture)),
            var other => throw new InvalidDataException($"preStop runs '{string.Join(' ', other)}'; the tests understand a sleep of whole seconds only."),
        };

    private static void AssertResourceBounds(YamlNode container)
    {
        foreach (var bound in ResourceBounds)
        {
            foreach (var resource in Resources)
            {
                Assert.False(string.IsNullOrWhiteSpace(container.TextOrNull("resources", bound, resource)), $"container {container.Text("name")} has no {bound}.{resource}");
            }
        }
    }

    [GeneratedRegex(@"\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
