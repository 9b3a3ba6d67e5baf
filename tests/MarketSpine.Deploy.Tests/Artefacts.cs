using System.Xml.Linq;
using MarketSpine.Testing;
using YamlDotNet.RepresentationModel;

namespace MarketSpine.Deploy.Tests;

/// <summary>Where the deployment artefacts are, and what they hold.</summary>
internal static class Artefacts
{
    public static string Root => TestEnvironment.RepositoryRoot;

    public static string DeployDirectory => Path.Combine(Root, "deploy");

    public static string KubernetesDirectory => Path.Combine(DeployDirectory, "k8s");

    public static string ComposeFile => Path.Combine(DeployDirectory, "compose.yaml");

    public static string SiloDockerfile => Path.Combine(DeployDirectory, "silo.Dockerfile");

    public static string ApiDockerfile => Path.Combine(DeployDirectory, "api.Dockerfile");

    public static string KustomizationFile => Path.Combine(KubernetesDirectory, "kustomization.yaml");

    /// <summary>Every Dockerfile under deploy/: the CLI's, the silo's and the API front end's.</summary>
    public static IEnumerable<string> Dockerfiles =>
        Directory.EnumerateFiles(DeployDirectory)
            .Where(f => Path.GetFileName(f) == "Dockerfile" || f.EndsWith(".Dockerfile", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<string> YamlFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>Example files show a shape; they are never applied.</summary>
    public static bool IsExample(string path) => Path.GetFileName(path).Contains(".example.", StringComparison.Ordinal);

    /// <summary>The manifests kustomization.yaml applies, with the file each came from.</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Manifest)> AppliedManifests() =>
    [
        .. Yaml.Load(KustomizationFile)[0].Strings("resources")
            .SelectMany(file => Yaml.Load(Path.Combine(KubernetesDirectory, file)).Select(manifest => (file, manifest))),
    ];

    /// <summary>The one applied manifest of <paramref name="kind"/>.</summary>
    public static YamlMappingNode Manifest(string kind)
    {
        var matches = AppliedManifests().Where(m => m.Manifest.TextOrNull("kind") == kind).ToList();
        return matches.Count == 1
            ? matches[0].Manifest
            : throw new InvalidDataException($"deploy/k8s applies {matches.Count} manifests of kind {kind}; the tests expect exactly one.");
    }

    /// <summary>The one applied manifest of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public static YamlMappingNode Manifest(string kind, string name)
    {
        var matches = AppliedManifests().Where(m => m.Manifest.TextOrNull("kind") == kind && m.Manifest.TextOrNull("metadata", "name") == name).ToList();
        return matches.Count == 1
            ? matches[0].Manifest
            : throw new InvalidDataException($"deploy/k8s applies {matches.Count} manifests of kind {kind} named {name}; the tests expect exactly one.");
    }

    /// <summary>Every applied manifest of <paramref name="kind"/>.</summary>
    public static IReadOnlyList<YamlMappingNode> Manifests(string kind) =>
        [.. AppliedManifests().Where(m => m.Manifest.TextOrNull("kind") == kind).Select(m => m.Manifest)];

    /// <summary>The example Secret, with its file.</summary>
    public static (string File, YamlMappingNode Manifest) ExampleSecret()
    {
        var examples = Directory.EnumerateFiles(KubernetesDirectory).Where(IsExample)
            .SelectMany(file => Yaml.Load(file).Select(manifest => (file, manifest)))
            .Where(m => m.manifest.TextOrNull("kind") == "Secret").ToList();
        return examples.Count == 1 ? examples[0] : throw new InvalidDataException($"deploy/k8s has {examples.Count} example Secrets; the tests expect exactly one.");
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    public static IReadOnlyList<string> ProjectClosure(string projectPath)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Relative(Path.Combine(Root, projectPath))]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            foreach (var reference in ItemIncludes(project, "ProjectReference"))
            {
                pending.Push(reference);
            }
        }

        return [.. seen];
    }

    /// <summary>
    /// Whether the project needs the ASP.NET Core runtime: it or a project it references is a web
    /// project (<c>Microsoft.NET.Sdk.Web</c>) or references <c>Microsoft.AspNetCore.App</c>, which
    /// then flows into the published runtimeconfig.json.
    /// </summary>
    public static bool NeedsAspNetCore(string projectPath) =>
        ProjectClosure(projectPath).Any(project =>
        {
            var document = XDocument.Load(Path.Combine(Root, project));
            return document.Root?.Attribute("Sdk")?.Value == "Microsoft.NET.Sdk.Web"
                || document.Descendants("FrameworkReference").Any(r => r.Attribute("Include")?.Value == "Microsoft.AspNetCore.App");
        });

    /// <summary>A project's assembly name: its AssemblyName, or the file name without .csproj.</summary>
    public static string AssemblyName(string projectPath) =>
        XDocument.Load(Path.Combine(Root, projectPath)).Descendants("AssemblyName").SingleOrDefault()?.Value
        ?? Path.GetFileNameWithoutExtension(projectPath);

    /// <summary>
    /// The files and folders outside its own folder that a project's items name (the migrations
    /// under sql/, say), repository-relative, each cut before its first wildcard.
    /// </summary>
    public static IEnumerable<string> OutsideInputs(string project)
    {
        var folder = Path.GetDirectoryName(project)!;
        return XDocument.Load(Path.Combine(Root, project)).Descendants()
            .Select(item => item.Attribute("Include")?.Value)
            .OfType<string>()
            .Where(include => include.StartsWith("..", StringComparison.Ordinal))
            .Select(include => include.Split('*', '?')[0])
            .Select(include => Relative(Path.Combine(Root, folder, include)))
            .Where(path => !path.StartsWith(folder + "/", StringComparison.Ordinal));
    }

    /// <summary>A path from the repository root with forward slashes.</summary>
    public static string Relative(string absolutePath) =>
        Path.GetRelativePath(Root, Path.GetFullPath(absolutePath)).Replace('\\', '/').TrimEnd('/');

    private static IEnumerable<string> ItemIncludes(string project, string itemName) =>
        XDocument.Load(Path.Combine(Root, project)).Descendants(itemName)
            .Select(item => item.Attribute("Include")?.Value)
            .OfType<string>()
            .Select(include => Relative(Path.Combine(Root, Path.GetDirectoryName(project)!, include.Replace('\\', '/'))));
}
