using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MarketSpine.Deploy.Tests;

/// <summary>One instruction of a Dockerfile, continuation lines joined.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The arguments as words: the JSON array of the exec form, or split at whitespace.</summary>
    public IReadOnlyList<string> Words => Arguments.StartsWith('[')
        ? JsonSerializer.Deserialize<string[]>(Arguments) ?? []
        : Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A COPY instruction: its sources (relative to the build context unless <see cref="FromStage"/> is set) and destination.</summary>
internal sealed record DockerCopy(string? FromStage, IReadOnlyList<string> Sources, string Destination, int Line);

/// <summary>
/// The part of the Dockerfile syntax these artefacts use: comments, line continuations, stages,
/// shell and exec forms, COPY flags. No parser directives or heredocs.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerInstruction> instructions) => Stages = [.. Split(instructions)];

    /// <summary>Each stage's instructions, its FROM first.</summary>
    public IReadOnlyList<IReadOnlyList<DockerInstruction>> Stages { get; }

    public IReadOnlyList<DockerInstruction> FinalStage => Stages[^1];

    /// <summary>The ports the final stage exposes, in order.</summary>
    public IReadOnlyList<int> ExposedPorts =>
    [
        .. FinalStage.Where(i => i.Keyword == "EXPOSE")
            .SelectMany(i => i.Words)
            .Select(word => int.Parse(word.Split('/')[0], CultureInfo.InvariantCulture)),
    ];

    /// <summary>
    /// The variables the final stage sets (<c>ENV name=value ...</c>; a later one wins), values
    /// unquoted. An empty value clears what the base image set.
    /// </summary>
    public IReadOnlyDictionary<string, string> FinalEnvironment
    {
        get
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var word in FinalStage.Where(i => i.Keyword == "ENV").SelectMany(i => i.Words))
            {
                var parts = word.Split('=', 2);
                if (parts.Length != 2)
                {
                    throw new InvalidDataException($"ENV '{word}': only the name=value form is understood here.");
                }

                variables[parts[0]] = parts[1].Trim('"');
            }

            return variables;
        }
    }

    /// <summary>The image a stage starts from (FROM's first word).</summary>
    public static string BaseImage(IReadOnlyList<DockerInstruction> stage) => stage[0].Words[0];

    public static IEnumerable<DockerCopy> Copies(IReadOnlyList<DockerInstruction> stage) =>
        stage.Where(i => i.Keyword == "COPY").Select(ParseCopy);

    /// <summary>The projects that a stage's <c>dotnet publish</c> builds, with the output folder each names (<c>-o</c>).</summary>
    public static IEnumerable<(string Project, string? Output)> Publishes(IReadOnlyList<DockerInstruction> stage) =>
        stage.Where(i => i.Keyword == "RUN")
            .SelectMany(i => PublishCommand().Matches(i.Arguments))
            .Select(m => (m.Groups["project"].Value, m.Groups["output"].Success ? m.Groups["output"].Value : null));

    public static Dockerfile Load(string path)
    {
        var instructions = new List<DockerInstruction>();
        string? pending = null;
        var pendingLine = 0;
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            // Docker drops comment lines even inside a continued instruction.
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (pending is null)
            {
                pendingLine = lineNumber;
            }

            var continues = line.EndsWith('\\');
            pending = pending is null ? "" : pending + " ";
            pending += continues ? line[..^1].TrimEnd() : line;
            if (!continues)
            {
                instructions.Add(Parse(pending, pendingLine));
                pending = null;
            }
        }

        if (pending is not null)
        {
            instructions.Add(Parse(pending, pendingLine));
        }

        return new Dockerfile(instructions);
    }

    private static DockerInstruction Parse(string text, int line)
    {
        var space = text.IndexOfAny([' ', '\t']);
        return space < 0
            ? new DockerInstruction(text.ToUpperInvariant(), "", line)
            : new DockerInstruction(text[..space].ToUpperInvariant(), text[(space + 1)..].Trim(), line);
    }

    private static DockerCopy ParseCopy(DockerInstruction copy)
    {
        var words = copy.Words;
        var from = words.Where(w => w.StartsWith("--from=", StringComparison.Ordinal)).Select(w => w["--from=".Length..]).FirstOrDefault();
        var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (paths.Count < 2)
        {
            throw new InvalidDataException($"COPY on line {copy.Line} needs a source and a destination: {copy.Arguments}");
        }

        return new DockerCopy(from, paths[..^1], paths[^1], copy.Line);
    }

    private static IEnumerable<IReadOnlyList<DockerInstruction>> Split(IReadOnlyList<DockerInstruction> instructions)
    {
        List<DockerInstruction>? stage = null;
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                if (stage is not null)
                {
                    yield return stage;
                }

                stage = [instruction];
            }
            else if (stage is not null)
            {
                stage.Add(instruction);
            }
            else if (instruction.Keyword != "ARG")
            {
                throw new InvalidDataException($"{instruction.Keyword} on line {instruction.Line} comes before any FROM.");
            }
        }

        if (stage is not null)
        {
            yield return stage;
        }
    }

    [GeneratedRegex(@"dotnet\s+publish\s+(?<project>\S+\.csproj)(?:.*?\s(?:-o|--output)\s+(?<output>\S+))?")]
    private static partial Regex PublishCommand();
}
