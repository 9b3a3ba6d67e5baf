using YamlDotNet.RepresentationModel;

namespace MarketSpine.Deploy.Tests;

/// <summary>
/// Reading YAML documents by key path. A missing key fails with the path and the file, which is
/// what a reader of a failed test needs to mend the manifest.
/// </summary>
internal static class Yaml
{
    /// <summary>Every document of the file; each must be a mapping, as every manifest and compose file is.</summary>
    public static IReadOnlyList<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }

        return
        [
            .. stream.Documents.Select((document, index) => document.RootNode as YamlMappingNode
                ?? throw new InvalidDataException($"{path}: document {index + 1} is a {document.RootNode.NodeType}, not a mapping.")),
        ];
    }

    /// <summary>The node at <paramref name="keys"/>, or null when any key on the way is missing.</summary>
    public static YamlNode? Find(this YamlNode node, params string[] keys)
    {
        var current = node;
        foreach (var key in keys)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            current = child;
        }

        return current;
    }

    public static YamlNode Get(this YamlNode node, params string[] keys) =>
        node.Find(keys) ?? throw new KeyNotFoundException($"No '{string.Join('.', keys)}' at {Where(node)}.");

    public static string Text(this YamlNode node, params string[] keys) =>
        node.Get(keys) is YamlScalarNode { Value: { } value } ? value : throw new InvalidDataException($"'{string.Join('.', keys)}' at {Where(node)} is not a scalar.");

    public static string? TextOrNull(this YamlNode node, params string[] keys) => (node.Find(keys) as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlNode> Items(this YamlNode node, params string[] keys) =>
        node.Get(keys) is YamlSequenceNode sequence ? sequence.Children.ToList() : throw new InvalidDataException($"'{string.Join('.', keys)}' at {Where(node)} is not a sequence.");

    /// <summary>A mapping of scalars (labels, a selector's matchLabels) as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Pairs(this YamlNode node, params string[] keys) =>
        node.Get(keys) is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value ?? "", StringComparer.Ordinal)
            : throw new InvalidDataException($"'{string.Join('.', keys)}' at {Where(node)} is not a mapping.");

    /// <summary>A sequence of scalars, or a single scalar as a sequence of one (Compose allows both).</summary>
    public static IReadOnlyList<string> Strings(this YamlNode node, params string[] keys) => node.Get(keys) switch
    {
        YamlSequenceNode sequence => [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "")],
        YamlScalarNode { Value: { } value } => [value],
        _ => throw new InvalidDataException($"'{string.Join('.', keys)}' at {Where(node)} is neither a scalar nor a sequence."),
    };

    private static string Where(YamlNode node) => $"line {node.Start.Line}";
}
