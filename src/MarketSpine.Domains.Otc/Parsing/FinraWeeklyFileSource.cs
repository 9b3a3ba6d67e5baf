using System.Runtime.CompilerServices;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Sources;

namespace MarketSpine.Domains.Otc.Parsing;

/// <summary>A FINRA weekly download on disk as an <see cref="ISource{TRecord}"/>; its name is the path.</summary>
public sealed class FinraWeeklyFileSource : ISource<FinraWeeklyRow>
{
    public FinraWeeklyFileSource(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
    }

    public string Path { get; }

    public string Name => Path;

    public async IAsyncEnumerable<FinraWeeklyRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = Open(asynchronous: true);
        using var reader = new FinraWeeklyReader(stream, Name, leaveOpen: true);
        await foreach (var row in reader.ReadAllAsync(cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>The same rows synchronously, for callers with no I/O to overlap (CLI tools, benchmarks).</summary>
    public IEnumerable<FinraWeeklyRow> Read()
    {
        using var stream = Open(asynchronous: false);
        using var reader = new FinraWeeklyReader(stream, Name, leaveOpen: true);
        while (reader.TryRead(out var row))
        {
            yield return row;
        }
    }

    /// <summary>The file as a sequential stream, with the same errors as reading it (not found, unreadable).</summary>
    public FileStream OpenRead() => Open(asynchronous: false);

    private FileStream Open(bool asynchronous)
    {
        try
        {
            // bufferSize 0: the reader keeps its own large buffer, a second one would only copy.
            var options = FileOptions.SequentialScan | (asynchronous ? FileOptions.Asynchronous : FileOptions.None);
            return new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, options);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SourceError(ErrorCodes.SourceNotFound, $"{Path}: file not found.", Path, inner: ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SourceError(ErrorCodes.SourceUnreadable, $"{Path}: cannot open the file: {ex.Message}", Path, inner: ex);
        }
    }
}
