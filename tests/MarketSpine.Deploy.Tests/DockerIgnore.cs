using System.Text;
using System.Text.RegularExpressions;

namespace MarketSpine.Deploy.Tests;

/// <summary>
/// The build context's exclusions, matched as Docker matches them: a pattern is anchored at the
/// context root, <c>*</c> and <c>?</c> stay within one path segment, <c>**</c> spans any number,
/// a leading <c>!</c> re-includes, the last matching line decides, and excluding a directory
/// excludes everything under it.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Excludes)> _rules;

    private DockerIgnore(List<(Regex Pattern, bool Excludes)> rules) => _rules = rules;

    public static DockerIgnore Load(string path) => new(
    [
        .. (File.Exists(path) ? File.ReadAllLines(path) : [])
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.StartsWith('!') ? (ToRegex(line[1..]), false) : (ToRegex(line), true)),
    ]);

    /// <summary>Whether the file or directory at <paramref name="relativePath"/> (from the context root) is left out of the context.</summary>
    public bool Excludes(string relativePath)
    {
        var segments = Clean(relativePath).Split('/');
        for (var length = 1; length <= segments.Length; length++)
        {
            var prefix = string.Join('/', segments[..length]);
            var excluded = false;
            foreach (var (pattern, excludes) in _rules)
            {
                if (pattern.IsMatch(prefix))
                {
                    excluded = excludes;
                }
            }

            if (excluded)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A context-relative path without <c>./</c>, a leading or trailing slash.</summary>
    public static string Clean(string path)
    {
        var cleaned = path.Replace('\\', '/').Trim('/');
        while (cleaned.StartsWith("./", StringComparison.Ordinal))
        {
            cleaned = cleaned[2..];
        }

        return cleaned is "." ? "" : cleaned;
    }

    private static Regex ToRegex(string pattern)
    {
        var text = Clean(pattern);
        var regex = new StringBuilder("^");
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                // "**/" also matches no directory at all, as in "**/bin" matching "bin".
                var slash = i + 2 < text.Length && text[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                regex.Append(text[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    var c => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
