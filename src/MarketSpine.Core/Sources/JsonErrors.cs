using System.Text.Json;
using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Sources;

/// <summary>
/// Turns System.Text.Json's parse errors into source errors. An error at the very end of the
/// content means the writer stopped mid-value (a cut-off download): <c>SOURCE_TRUNCATED</c>.
/// Anywhere else the JSON itself is wrong: <c>SOURCE_MALFORMED</c>.
/// </summary>
internal static class JsonErrors
{
    public static SourceError Invalid(string sourceName, JsonException exception, long line, long? bytePosition, bool atEnd)
    {
        var position = bytePosition is { } b ? $", byte {b + 1}" : "";
        return atEnd
            ? new SourceError(ErrorCodes.SourceTruncated,
                $"{sourceName} line {line}{position}: the JSON ends in the middle of a value; the file looks cut off. {Reason(exception)}",
                sourceName, line, null, exception)
            : new SourceError(ErrorCodes.SourceMalformed,
                $"{sourceName} line {line}{position}: invalid JSON. {Reason(exception)}",
                sourceName, line, null, exception);
    }

    /// <summary>
    /// Whether a parse error at (<paramref name="line"/>, <paramref name="bytePosition"/>), both
    /// 0-based as <see cref="JsonException"/> gives them, is past the last non-blank byte of the file.
    /// Scans the file once, on the error path only.
    /// </summary>
    public static async Task<bool> IsAtEndOfContentAsync(string path, long line, long bytePosition, CancellationToken cancellationToken)
    {
        await using var stream = SourceFiles.OpenRead(path);
        var buffer = new byte[64 * 1024];
        long currentLine = 0, column = 0, lastLine = -1, lastColumn = -1;
        var first = true;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var start = 0;
            if (first)
            {
                first = false;
                // System.Text.Json skips a UTF-8 byte order mark and does not count it in positions.
                start = buffer.AsSpan(0, read).StartsWith(SourceFiles.Utf8Bom) ? SourceFiles.Utf8Bom.Length : 0;
            }

            for (var i = start; i < read; i++)
            {
                var b = buffer[i];
                if (b == (byte)'\n')
                {
                    currentLine++;
                    column = 0;
                    continue;
                }

                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    lastLine = currentLine;
                    lastColumn = column;
                }

                column++;
            }
        }

        return line > lastLine || (line == lastLine && bytePosition > lastColumn);
    }

    /// <summary>The parser's own words, without its trailing "Path: $[0] | LineNumber..." (the line is in our message, and the path misleads in a stream).</summary>
    private static string Reason(JsonException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var lineCut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0 || (lineCut >= 0 && lineCut < cut))
        {
            cut = lineCut;
        }

        return (cut >= 0 ? message[..cut] : message).Trim();
    }
}
