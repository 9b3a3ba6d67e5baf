using System.Runtime.CompilerServices;
using System.Text.Json;

namespace MarketSpine.Core.Sources;

/// <summary>
/// Reads a file holding one JSON array of objects, element by element: System.Text.Json hands
/// each element over as soon as it is parsed, so a large array is never held whole.
/// </summary>
internal static class JsonArrayFileReader
{
    public static async IAsyncEnumerable<SourceRecord> ReadAsync(
        string sourceName,
        string path,
        ColumnNames names,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = SourceFiles.OpenRead(path);
        var builder = new JsonRecordBuilder(sourceName, names, "element");
        await using var elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, cancellationToken: cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
        long index = 0;
        while (true)
        {
            bool more;
            JsonException? error = null;
            try
            {
                more = await elements.MoveNextAsync();
            }
            catch (JsonException exception)
            {
                error = exception;
                more = false;
            }

            if (error is not null)
            {
                // JsonException positions are 0-based; messages and SourceError.Line are 1-based. The
                // element is not named: System.Text.Json parses a buffer of elements ahead, so the
                // count handed over so far does not say which element the error is in.
                var line = error.LineNumber ?? 0;
                var byteInLine = error.BytePositionInLine ?? 0;
                var atEnd = await JsonErrors.IsAtEndOfContentAsync(path, line, byteInLine, cancellationToken);
                throw JsonErrors.Invalid(sourceName, error, line + 1, byteInLine, atEnd);
            }

            if (!more)
            {
                yield break;
            }

            index++;
            cancellationToken.ThrowIfCancellationRequested();
            yield return builder.Build(elements.Current, index, rawText: null);
        }
    }
}
