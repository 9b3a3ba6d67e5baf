using System.Text;

namespace MarketSpine.Core.Sources;

/// <summary>
/// A look at the start of a file, before choosing a reader: whether it has any content at all,
/// its first non-blank character (<c>[</c> for a JSON array) and its first non-blank line (a
/// <c>.txt</c> header with pipes is pipe separated). Reads only up to that line.
/// </summary>
internal sealed record FileProbe(bool IsEmpty, char FirstChar, string FirstLine)
{
    /// <summary>A header longer than this is still read by the real reader; the probe only needs its start.</summary>
    private const int MaxFirstLineBytes = 64 * 1024;

    public static async Task<FileProbe> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = SourceFiles.OpenRead(path);
        var buffer = new byte[16 * 1024];
        var line = new List<byte>();
        var atStart = true;
        var inLine = false;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            if (atStart)
            {
                atStart = false;
                if (span.StartsWith(SourceFiles.Utf8Bom))
                {
                    span = span[SourceFiles.Utf8Bom.Length..];
                }
            }

            foreach (var b in span)
            {
                if (!inLine)
                {
                    if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                    {
                        continue;
                    }

                    inLine = true;
                }

                if (b is (byte)'\r' or (byte)'\n' || line.Count >= MaxFirstLineBytes)
                {
                    return Found(line);
                }

                line.Add(b);
            }
        }

        return inLine ? Found(line) : new FileProbe(true, '\0', "");
    }

    private static FileProbe Found(List<byte> line)
    {
        var text = Encoding.UTF8.GetString([.. line]);
        return new FileProbe(false, text[0], text);
    }
}
