using System.Xml.Linq;
using MarketSpine.SiloHost;

namespace MarketSpine.Deploy.Tests;

public sealed class DockerfileTests
{
    // Files MSBuild and the SDK read from a project's folder and every folder above it.
    private static readonly string[] BuildInputNames =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config", ".editorconfig"];

    // The numeric id of the unprivileged `app` user of Microsoft's .NET images.
    private static readonly string[] UnprivilegedUserIds = ["$APP_UID", "${APP_UID}"];

    private static readonly DockerIgnore Ignore = DockerIgnore.Load(Path.Combine(Artefacts.Root, ".dockerignore"));

    public static TheoryData<string> Dockerfiles => new(Artefacts.Dockerfiles.Select(Artefacts.Relative));

    [Fact]
    public void Deploy_holds_the_cli_the_api_and_the_silo_dockerfiles()
    {
        Assert.Equal(["deploy/Dockerfile", "deploy/api.Dockerfile", "deploy/silo.Dockerfile"], Artefacts.Dockerfiles.Select(Artefacts.Relative));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Copy_sources_exist_and_are_in_the_build_context(string dockerfile)
    {
        var file = Dockerfile.Load(Path.Combine(Artefacts.Root, dockerfile));
        var problems = new List<string>();
        foreach (var copy in file.Stages.SelectMany(Dockerfile.Copies).Where(c => c.FromStage is null))
        {
            foreach (var source in copy.Sources.Select(DockerIgnore.Clean))
            {
                var path = Path.Combine(Artefacts.Root, source);
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    problems.Add($"line {copy.Line}: {source} does not exist");
                }
                else if (Ignore.Excludes(source))
                {
                    problems.Add($"line {copy.Line}: .dockerignore leaves {source} out of the build context");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Published_projects_exist_and_everything_they_build_from_is_copied_in_place(string dockerfile)
    {
        var file = Dockerfile.Load(Path.Combine(Artefacts.Root, dockerfile));
        var publishes = file.Stages.Select(stage => (Stage: stage, Projects: Dockerfile.Publishes(stage).ToList())).Where(s => s.Projects.Count > 0).ToList();
        Assert.NotEmpty(publishes);

        var problems = new List<string>();
        foreach (var (stage, projects) in publishes)
        {
            var inPlace = Dockerfile.Copies(stage).Where(c => c.FromStage is null).SelectMany(CopiedInPlace).ToList();
            foreach (var (project, _) in projects)
            {
                if (!File.Exists(Path.Combine(Artefacts.Root, project)))
                {
                    problems.Add($"publishes {project}, which does not exist");
                    continue;
                }

                var closure = Artefacts.ProjectClosure(project);
                var inputs = closure
                    .Concat(closure.SelectMany(SourceFiles))
                    .Concat(closure.SelectMany(Artefacts.OutsideInputs))
                    .Concat(closure.SelectMany(BuildInputsAbove))
                    .Distinct(StringComparer.Ordinal);
                problems.AddRange(inputs
                    .Where(input => Ignore.Excludes(input) || !inPlace.Any(copied => input == copied || input.StartsWith(copied + "/", StringComparison.Ordinal)))
                    .Select(input => $"{project} builds from {input}, which the stage does not copy to the same path"));
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void The_final_stage_runs_as_the_unprivileged_app_user_by_its_numeric_id(string dockerfile)
    {
        var file = Dockerfile.Load(Path.Combine(Artefacts.Root, dockerfile));

        var user = file.FinalStage.LastOrDefault(i => i.Keyword == "USER")?.Arguments;

        // By name, the kubelet cannot tell whether the user is root and refuses runAsNonRoot.
        Assert.Contains(user, UnprivilegedUserIds);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Images_build_on_the_sdk_and_run_on_the_runtime_their_project_needs(string dockerfile)
    {
        var file = Dockerfile.Load(Path.Combine(Artefacts.Root, dockerfile));
        var targetFramework = XDocument.Load(Path.Combine(Artefacts.Root, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var version = targetFramework["net".Length..];
        var (project, _) = Assert.Single(file.Stages.SelectMany(Dockerfile.Publishes));

        Assert.True(file.Stages.Count >= 2, "a multi-stage build: the SDK stays out of the image that runs");
        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{version}", Dockerfile.BaseImage(file.Stages[0]));
        // A project that uses ASP.NET Core (the silo through the API it co-hosts, spine-api) names
        // Microsoft.AspNetCore.App in its runtimeconfig.json, and the host refuses to start without
        // it; the others run on the smaller console runtime.
        var runtime = Artefacts.NeedsAspNetCore(project) ? "aspnet" : "runtime";
        Assert.Equal($"mcr.microsoft.com/dotnet/{runtime}:{version}", Dockerfile.BaseImage(file.FinalStage));
    }

    [Theory]
    [InlineData("deploy/silo.Dockerfile", SiloContract.Project)]
    [InlineData("deploy/api.Dockerfile", ApiContract.FrontEndProject)]
    [InlineData("deploy/Dockerfile", "src/MarketSpine.Cli/MarketSpine.Cli.csproj")]
    public void Images_publish_their_project_and_start_its_assembly_in_exec_form(string dockerfile, string project)
    {
        var file = Dockerfile.Load(Path.Combine(Artefacts.Root, dockerfile));
        var assemblyName = Artefacts.AssemblyName(project);

        var (buildStage, output) = file.Stages
            .SelectMany(stage => Dockerfile.Publishes(stage).Where(p => p.Project == project).Select(p => (Stage: StageName(stage), p.Output)))
            .Single();
        Assert.NotNull(buildStage);
        Assert.NotNull(output);
        var published = Dockerfile.Copies(file.FinalStage).Single(c => c.FromStage == buildStage && c.Sources.Select(DockerIgnore.Clean).Contains(DockerIgnore.Clean(output)));

        var entrypoint = file.FinalStage.Last(i => i.Keyword == "ENTRYPOINT");
        Assert.StartsWith("[", entrypoint.Arguments, StringComparison.Ordinal); // exec form: SIGTERM reaches the program, not a shell
        var words = entrypoint.Words;
        Assert.Equal(2, words.Count);
        Assert.Equal("dotnet", words[0]);
        Assert.Equal($"{assemblyName}.dll", Path.GetFileName(words[1]));
        Assert.Equal(DockerIgnore.Clean(published.Destination), DockerIgnore.Clean(Path.GetDirectoryName(words[1])!.Replace('\\', '/')));
    }

    [Fact]
    public void Images_start_the_programs_whose_contract_the_tests_read()
    {
        // SiloContract reflects on the assembly this test project references; ApiContract reads spine-api's sources.
        Assert.Equal(SiloContract.AssemblyName, Artefacts.AssemblyName(SiloContract.Project));
        Assert.Equal("spine-api", Artefacts.AssemblyName(ApiContract.FrontEndProject));
    }

    [Fact]
    public void Silo_image_exposes_the_silo_port_and_the_http_port()
    {
        Assert.Equal(11111, SiloContract.Port);
        Assert.Equal([SiloContract.Port, ApiContract.HttpPort], Dockerfile.Load(Artefacts.SiloDockerfile).ExposedPorts);
    }

    [Fact]
    public void Api_image_exposes_the_port_spine_api_listens_on_by_default()
    {
        Assert.Equal(8080, ApiContract.HttpPort);
        Assert.Equal([ApiContract.HttpPort], Dockerfile.Load(Artefacts.ApiDockerfile).ExposedPorts);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Http_images_leave_the_listening_address_to_SPINE_HTTP(string dockerfile)
    {
        var file = Dockerfile.Load(Path.Combine(Artefacts.Root, dockerfile));
        var (project, _) = Assert.Single(file.Stages.SelectMany(Dockerfile.Publishes));
        if (!Artefacts.NeedsAspNetCore(project))
        {
            return;
        }

        var environment = file.FinalEnvironment;
        // The base image sets ASPNETCORE_HTTP_PORTS=8080; both programs pass SPINE_HTTP to UseUrls,
        // which wins, and ASP.NET Core warns about the override at every start unless it is cleared.
        Assert.Equal("", environment.GetValueOrDefault("ASPNETCORE_HTTP_PORTS"));
        Assert.Equal("", environment.GetValueOrDefault("ASPNETCORE_URLS", ""));
        // Without SPINE_HTTP a silo serves no HTTP (the program's default, and what `migrate` and
        // grain-only silos want): the deployments set it beside the probes that depend on it.
        Assert.False(environment.ContainsKey(SiloSettings.HttpVariable), $"{dockerfile} sets {SiloSettings.HttpVariable}; the deployments set it");
    }

    /// <summary>
    /// The repository-relative paths a COPY puts at the same relative path under the working
    /// directory: the build needs the repository's layout (project references, ../../sql).
    /// </summary>
    private static IEnumerable<string> CopiedInPlace(DockerCopy copy)
    {
        var destination = DockerIgnore.Clean(copy.Destination);
        if (copy.Destination.StartsWith('/'))
        {
            yield break;
        }

        foreach (var source in copy.Sources.Select(DockerIgnore.Clean))
        {
            var isDirectory = Directory.Exists(Path.Combine(Artefacts.Root, source));
            var landsAt = isDirectory || (!copy.Destination.EndsWith('/') && destination.Length > 0)
                ? destination
                : string.Join('/', new[] { destination, Path.GetFileName(source) }.Where(s => s.Length > 0));
            if (landsAt == source)
            {
                yield return source;
            }
        }
    }

    /// <summary>The C# files a project compiles by default: everything under its folder but bin/ and obj/.</summary>
    private static IEnumerable<string> SourceFiles(string project)
    {
        var folder = Path.GetDirectoryName(Path.Combine(Artefacts.Root, project))!;
        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Select(Artefacts.Relative)
            .Where(file => !file[(Artefacts.Relative(folder).Length + 1)..].Split('/').SkipLast(1).Any(d => d is "bin" or "obj"));
    }

    private static IEnumerable<string> BuildInputsAbove(string project)
    {
        for (var folder = Path.GetDirectoryName(Path.Combine(Artefacts.Root, project)); folder is not null && folder.Length >= Artefacts.Root.Length; folder = Path.GetDirectoryName(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder).Where(f => BuildInputNames.Contains(Path.GetFileName(f), StringComparer.OrdinalIgnoreCase)))
            {
                yield return Artefacts.Relative(file);
            }
        }
    }

    private static string? StageName(IReadOnlyList<DockerInstruction> stage)
    {
        var words = stage[0].Words;
        return words.Count == 3 && string.Equals(words[1], "AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
    }
}
