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
        Assert.Subset(SiloContract.KnownVariables.ToHashSet(), names.Where(IsSiloVariable).ToHashSet());
        Assert.Subset(names.ToHashSet(), SiloContract.SiloRequires.ToHashSet());
    }

    [Fact]
    public void Migration_container_sets_the_variables_the_migrate_verb_reads()
    {
        var names = Env(Assert.Single(Containers(Migration))).Select(e => e.Name).ToList();

        Assert.Subset(SiloContract.KnownVariables.ToHashSet(), names.Where(IsSiloVariable).ToHashSet());
        Assert.Subset(names.ToHashSet(), SiloContract.MigrateRequires.ToHashSet());
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
            if (!IsSiloVariable(env[i].Name) && !env.Skip(i + 1).Any(e => (e.Entry.TextOrNull("value") ?? "").Contains($"$({env[i].Name})", StringComparison.Ordinal)))
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
    public void Every_silo_port_is_the_port_the_image_exposes()
    {
        var container = Assert.Single(Containers(Silos));
        var service = Artefacts.Manifest("Service");
        var servicePort = Assert.Single(service.Items("spec", "ports"));

        Assert.Equal([SiloContract.Port], container.Items("ports").Select(p => Port(container, p.Get("containerPort"))));
        Assert.Equal(SiloContract.Port, Port(container, servicePort.Get("port")));
        Assert.Equal(SiloContract.Port, Port(container, servicePort.Get("targetPort")));
        foreach (var probe in Probes.Where(p => container.Find(p) is not null))
        {
            Assert.Equal(SiloContract.Port, Port(container, container.Get(probe, "tcpSocket", "port")));
        }
    }

    [Fact]
    public void Silo_has_tcp_readiness_and_liveness_probes_and_resource_bounds()
    {
        var container = Assert.Single(Containers(Silos));

        Assert.NotNull(container.Find("readinessProbe", "tcpSocket"));
        Assert.NotNull(container.Find("livenessProbe", "tcpSocket"));
        AssertResourceBounds(container);
        AssertResourceBounds(Assert.Single(Containers(Migration)));
    }

    [Fact]
    public void Grace_period_outlasts_the_drain()
    {
        var grace = TimeSpan.FromSeconds(int.Parse(Silos.Text("spec", "template", "spec", "terminationGracePeriodSeconds"), CultureInfo.InvariantCulture));

        Assert.True(grace >= TimeSpan.FromSeconds(30), $"terminationGracePeriodSeconds is {grace.TotalSeconds}, less than 30 s");
        Assert.True(grace > SiloContract.DrainBound, $"terminationGracePeriodSeconds is {grace.TotalSeconds}; a clean stop may take {SiloContract.DrainBound.TotalSeconds} s and then leaves the membership");
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
    public void Disruption_budget_and_service_select_exactly_the_silos()
    {
        var selector = Silos.Pairs("spec", "selector", "matchLabels");
        var budget = Artefacts.Manifest("PodDisruptionBudget");
        var service = Artefacts.Manifest("Service");

        Assert.Equal("1", budget.Text("spec", "maxUnavailable"));
        Assert.Equal(selector, budget.Pairs("spec", "selector", "matchLabels"));
        Assert.Equal(selector, service.Pairs("spec", "selector"));
        Assert.True(service.TextOrNull("spec", "clusterIP") == "None" || (service.TextOrNull("spec", "type") ?? "ClusterIP") == "ClusterIP");
        // The Job's pods must not count as silos.
        Assert.False(selector.All(l => Migration.Pairs("spec", "template", "metadata", "labels").Contains(l)), "the silo selector also selects the migration Job's pods");
    }

    private static bool IsSiloVariable(string name) => name.StartsWith(SiloContract.VariablePrefix, StringComparison.Ordinal);

    private static IReadOnlyList<YamlNode> Containers(YamlNode workload) => workload.Items("spec", "template", "spec", "containers");

    private static IReadOnlyList<(string Name, YamlNode Entry)> Env(YamlNode container) =>
        [.. container.Items("env").Select(e => (e.Text("name"), e))];

    /// <summary>A port number, or a container port's name resolved to its number.</summary>
    private static int Port(YamlNode container, YamlNode port)
    {
        var text = ((YamlScalarNode)port).Value!;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : int.Parse(container.Items("ports").Single(p => p.TextOrNull("name") == text).Text("containerPort"), CultureInfo.InvariantCulture);
    }

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
