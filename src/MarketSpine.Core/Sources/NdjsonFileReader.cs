using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace MarketSpine.Core.Sources;

/// <summary>Reads newline-delimited JSON: each non-blank line one object, parsed on its own.</summary>
internal static class NdjsonFileReader
{
    public static async IAsyncEnumerable<SourceRecord> ReadAsync(
        string sourceName,
        string path,
        ColumnNames names,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // StreamReader strips a byte order mark and takes CRLF, LF and CR as line ends.
        using var reader = new StreamReader(SourceFiles.OpenRead(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        var builder = new JsonRecordBuilder(sourceName, names, "line");
        long lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            // ReadLineAsync serves buffered lines without looking at the token.
            cancellationToken.ThrowIfCancellationRequested();
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            SourceRecord? record = null;
            JsonException? error = null;
            try
            {
                using var document = JsonDocument.Parse(line);
                record = builder.Build(document.RootElement, lineNumber, line);
            }
            catch (JsonException exception)
            {
                error = exception;
            }

            if (error is not null)
            {
                // Cut off means: the error is at the end of this line and nothing but blank lines follows.
                var atEnd = error.BytePositionInLine >= Encoding.UTF8.GetByteCount(line.TrimEnd())
                            && await RestIsBlankAsync(reader, cancellationToken);
                throw JsonErrors.Invalid(sourceName, error, lineNumber, error.BytePositionInLine, atEnd);
            }

            yield return record!;
        }
    }

    private static async Task<bool> RestIsBlankAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                return false;
            }
        }

        return true;
    }
}
