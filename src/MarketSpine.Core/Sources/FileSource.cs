using System.Runtime.CompilerServices;
using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Sources;

/// <summary>
/// Reads a tabular file (CSV, PSV, a JSON array or NDJSON) as a stream of <see cref="SourceRecord"/>s
/// with flat memory: one record is parsed at a time. Every failure is a <see cref="SourceError"/>
/// naming the file and, where there is one, the line: <c>SOURCE_NOT_FOUND</c>, <c>SOURCE_EMPTY</c>,
/// <c>SOURCE_HEADER_MISMATCH</c>, <c>SOURCE_MALFORMED</c>, <c>SOURCE_TRUNCATED</c>, <c>SOURCE_UNREADABLE</c>.
/// Nothing is opened until the records are enumerated, and each enumeration reads the file afresh.
/// </summary>
public sealed class FileSource : ISource<SourceRecord>
{
    private readonly ColumnNames _names;

    public FileSource(string path, FileSourceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Options = options ?? new FileSourceOptions();
        _names = new ColumnNames(Options.ColumnMap, Options.RequiredColumns);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The full path, so a message points at the file whatever the working directory was.</summary>
    public string Name => Path;

    public string Path { get; }

    public FileSourceOptions Options { get; }

    /// <summary>
    /// The format a path's extension implies without looking inside, or null when the content
    /// decides (<c>.txt</c>: pipe or comma; <c>.json</c>: array or NDJSON) or the extension is unknown.
    /// </summary>
    public static FileFormat? FormatFromExtension(string path) =>
        System.IO.Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".CSV" => FileFormat.Csv,
            ".PSV" => FileFormat.Psv,
            ".NDJSON" or ".JSONL" => FileFormat.Ndjson,
            _ => null,
        };

    public async IAsyncEnumerable<SourceRecord> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(Path))
        {
            throw NotFound(null);
        }

        FileProbe probe;
        try
        {
            probe = await FileProbe.ReadAsync(Path, cancellationToken);
        }
        catch (Exception exception) when (IsIoFailure(exception))
        {
            throw Translate(exception);
        }

        if (probe.IsEmpty)
        {
            throw new SourceError(ErrorCodes.SourceEmpty, $"{Name} is empty.", Name);
        }

        var format = ResolveFormat(probe);
        var records = format switch
        {
            FileFormat.Csv => DelimitedFileReader.ReadAsync(Name, Path, ',', _names, cancellationToken),
            FileFormat.Psv => DelimitedFileReader.ReadAsync(Name, Path, '|', _names, cancellationToken),
            FileFormat.Json => JsonArrayFileReader.ReadAsync(Name, Path, _names, cancellationToken),
            FileFormat.Ndjson => NdjsonFileReader.ReadAsync(Name, Path, _names, cancellationToken),
            _ => throw new InvalidOperationException($"Unhandled file format {format}."),
        };

        await using var enumerator = records.GetAsyncEnumerator(cancellationToken);
        while (await MoveNextAsync(enumerator))
        {
            yield return enumerator.Current;
        }
    }

    private FileFormat ResolveFormat(FileProbe probe)
    {
        var extension = System.IO.Path.GetExtension(Path);
        var format = Options.Format ?? FormatFromExtension(Path) ?? extension.ToUpperInvariant() switch
        {
            // FINRA ships pipe-separated .txt files; a .txt without a pipe in its header is taken as CSV.
            ".TXT" => probe.FirstLine.Contains('|', StringComparison.Ordinal) ? FileFormat.Psv : FileFormat.Csv,
            ".JSON" => probe.FirstChar == '[' ? FileFormat.Json : FileFormat.Ndjson,
            _ => throw new SourceError(ErrorCodes.SourceUnreadable,
                $"{Name}: cannot tell the format from the extension '{extension}'; set FileSourceOptions.Format (csv, psv, json, ndjson).",
                Name),
        };

        // A JSON array reader fed an object would report "cannot convert to List<JsonElement>"; say what is wrong instead.
        if (format == FileFormat.Json && probe.FirstChar != '[')
        {
            throw new SourceError(ErrorCodes.SourceMalformed,
                $"{Name} line 1: expected a JSON array ('['), found '{probe.FirstChar}'. Use the NDJSON format for one object per line.",
                Name, 1);
        }

        return format;
    }

    /// <summary>Advances the format's reader, turning I/O failures into source errors.</summary>
    private async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<SourceRecord> enumerator)
    {
        try
        {
            return await enumerator.MoveNextAsync();
        }
        catch (Exception exception) when (IsIoFailure(exception))
        {
            throw Translate(exception);
        }
    }

    private static bool IsIoFailure(Exception exception) => exception is IOException or UnauthorizedAccessException;

    private SourceError Translate(Exception exception) =>
        exception is FileNotFoundException or DirectoryNotFoundException
            // The file was there when checked and gone when opened: deleted or moved meanwhile.
            ? NotFound(exception)
            : new SourceError(ErrorCodes.SourceUnreadable, $"{Name} cannot be read: {exception.Message}", Name, null, null, exception);

    private SourceError NotFound(Exception? inner) =>
        new(ErrorCodes.SourceNotFound, $"File not found: {Name}", Name, null, null, inner);
}
