using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Sources;

/// <summary>
/// Reads a delimited file (CSV, PSV) with CsvHelper, one record at a time. The header is read as
/// an ordinary record so its line number and raw text are at hand for errors; field counts are
/// checked here rather than by CsvHelper, because a short row means different things at the end
/// of a file (it was cut off) and in the middle (it is broken).
/// </summary>
internal static class DelimitedFileReader
{
    public static async IAsyncEnumerable<SourceRecord> ReadAsync(
        string sourceName,
        string path,
        char separator,
        ColumnNames names,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CsvMalformedRecord? malformed = null;
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = false,
            Mode = CsvMode.Rfc4180,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            DetectSeparatorHint = false,
            TrimWhitespace = false,
            FormatProvider = CultureInfo.InvariantCulture,
            // Recover and inspect, rather than throw: CsvHelper's exception does not say whether
            // an unclosed quote ran into the end of the file, which is what tells truncated from malformed.
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = record => malformed ??= record,
            // A runaway quote near the top of a 30 MB file would otherwise grow the buffer to hold
            // the rest of the file as one record; no real row comes near this.
            MaxRecordSize = 1024 * 1024,
        };

        await using var reader = CsvReader.Create(SourceFiles.OpenRead(path), options, leaveOpen: false);
        ColumnLayout? layout = null;
        while (await NextNonBlankAsync(reader, sourceName, cancellationToken) is { } raw)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = reader.LineNumber;
            if (malformed is { } bad)
            {
                malformed = null;
                ThrowIfBroken(sourceName, bad, line, raw);
            }

            if (layout is null)
            {
                var header = new string[reader.FieldCount];
                for (var i = 0; i < header.Length; i++)
                {
                    header[i] = reader.GetString(i);
                }

                layout = ColumnLayout.Resolve(sourceName, header, names, line);
                continue;
            }

            if (reader.FieldCount != layout.Width)
            {
                var count = reader.FieldCount;
                var isLast = count < layout.Width && await NextNonBlankAsync(reader, sourceName, cancellationToken) is null;
                throw new SourceError(
                    isLast ? ErrorCodes.SourceTruncated : ErrorCodes.SourceMalformed,
                    $"{sourceName} line {line}: {count} field{(count == 1 ? "" : "s")} where the header has {layout.Width}"
                    + (isLast ? "; the file looks cut off." : ".") + $" Line: {Shorten(raw)}",
                    sourceName,
                    line);
            }

            var values = new string?[layout.Width];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.GetString(i);
            }

            yield return new SourceRecord(sourceName, line, layout, values, raw);
        }

        if (layout is null)
        {
            throw new SourceError(ErrorCodes.SourceEmpty, $"{sourceName} has no header and no rows: only blank lines.", sourceName);
        }
    }

    /// <summary>
    /// The raw text of the next record, passing over lines of only spaces and tabs (CsvHelper
    /// skips only lines that are completely empty); null at the end of the file.
    /// </summary>
    private static async ValueTask<string?> NextNonBlankAsync(CsvReader reader, string sourceName, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return null;
                }
            }
            catch (CsvFormatException exception)
            {
                throw new SourceError(ErrorCodes.SourceMalformed, $"{sourceName} line {exception.LineNumber}: {exception.Message}",
                    sourceName, exception.LineNumber, null, exception);
            }

            var raw = Encoding.UTF8.GetString(reader.RawRecord);
            if (!string.IsNullOrWhiteSpace(raw))
            {
                return raw;
            }
        }
    }

    /// <summary>
    /// A stray quote inside an unquoted field (<c>5" screen</c>) is kept as text, as RFC 4180 readers
    /// do. A quoted field still open at the end of the file was cut off if it started on the last
    /// line; if it swallowed line breaks, the quote is the mistake and the file is malformed.
    /// </summary>
    private static void ThrowIfBroken(string sourceName, CsvMalformedRecord bad, long line, string raw)
    {
        switch (bad.Reason)
        {
            case CsvMalformedReason.StrayQuote:
                return;
            case CsvMalformedReason.UnterminatedQuote when !raw.Contains('\n', StringComparison.Ordinal) && !raw.Contains('\r', StringComparison.Ordinal):
                throw new SourceError(ErrorCodes.SourceTruncated,
                    $"{sourceName} line {line}: a quoted field is not closed before the end of the file; the file looks cut off. Line: {Shorten(raw)}",
                    sourceName, line);
            case CsvMalformedReason.UnterminatedQuote:
                throw new SourceError(ErrorCodes.SourceMalformed,
                    $"{sourceName} line {line}: a quote opened here is never closed, so the rest of the file would be one field. Line: {Shorten(raw)}",
                    sourceName, line);
            default:
                throw new SourceError(ErrorCodes.SourceMalformed,
                    $"{sourceName} line {line}: malformed quoting ({bad.Reason}). Line: {Shorten(raw)}",
                    sourceName, line);
        }
    }

    /// <summary>Enough of a line to recognise it in a message, never a whole runaway record.</summary>
    private static string Shorten(string raw)
    {
        const int Limit = 200;
        var end = raw.AsSpan().IndexOfAny('\r', '\n');
        var firstLine = end < 0 ? raw : raw[..end];
        return firstLine.Length > Limit ? firstLine[..Limit] + "…" : end < 0 ? firstLine : firstLine + "…";
    }
}
