using MarketSpine.Core.Errors;
using MarketSpine.Core.Sources;

namespace MarketSpine.Core.Tests.Sources;

public sealed class FileSourceFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("absent.csv")]
    [InlineData("absent.json")]
    [InlineData("no-such-dir/absent.psv")]
    public async Task Missing_file_is_not_found_and_names_the_full_path(string name)
    {
        var path = _dir.PathOf(name);
        var source = new FileSource(path);

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(source));

        Assert.Equal(ErrorCodes.SourceNotFound, error.Code);
        Assert.Equal($"File not found: {Path.GetFullPath(path)}", error.Message);
        Assert.Equal(Path.GetFullPath(path), error.SourceName);
        Assert.Equal(Path.GetFullPath(path), error.Details["source"]);
    }

    [Fact]
    public void Constructing_a_source_does_not_touch_the_file()
    {
        var source = new FileSource(_dir.PathOf("later.csv"));

        Assert.Equal(_dir.PathOf("later.csv"), source.Name);
    }

    [Theory]
    [InlineData("empty.csv", "", false)]
    [InlineData("bom-only.csv", "", true)]
    [InlineData("blank.psv", " \r\n\n\t\n", false)]
    [InlineData("empty.json", "", false)]
    [InlineData("blank.ndjson", "\n\n", true)]
    public async Task File_without_content_is_empty(string name, string content, bool byteOrderMark)
    {
        var path = _dir.Write(name, content, byteOrderMark);

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceEmpty, error.Code);
        Assert.Equal($"{Path.GetFullPath(path)} is empty.", error.Message);
    }

    [Fact]
    public async Task Cancelled_token_stops_before_reading()
    {
        var path = _dir.Write("rows.csv", "a\n1\n2\n");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Read.AllAsync(new FileSource(path), cancellation.Token));
    }

    [Theory]
    [InlineData("rows.csv", "a\n1\n2\n3\n")]
    [InlineData("rows.json", """[{"a":1},{"a":2},{"a":3}]""")]
    [InlineData("rows.ndjson", "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n")]
    public async Task Cancelling_between_records_stops_at_the_next_record(string name, string content)
    {
        var path = _dir.Write(name, content);
        using var cancellation = new CancellationTokenSource();
        var seen = new List<string?>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var record in new FileSource(path).ReadAsync(cancellation.Token))
            {
                seen.Add(record["a"]);
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(["1"], seen);
    }

    [Fact]
    public async Task WithCancellation_token_is_honoured_too()
    {
        var path = _dir.Write("rows.csv", "a\n1\n2\n");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in new FileSource(path).ReadAsync(CancellationToken.None).WithCancellation(cancellation.Token))
            {
                Assert.Fail("No record should be read after cancellation.");
            }
        });
    }

    [Fact]
    public void Extension_alone_decides_only_unambiguous_formats()
    {
        Assert.Equal(FileFormat.Csv, FileSource.FormatFromExtension("a.CSV"));
        Assert.Equal(FileFormat.Psv, FileSource.FormatFromExtension("a.psv"));
        Assert.Equal(FileFormat.Ndjson, FileSource.FormatFromExtension("a.ndjson"));
        Assert.Equal(FileFormat.Ndjson, FileSource.FormatFromExtension("a.jsonl"));
        Assert.Null(FileSource.FormatFromExtension("a.txt"));
        Assert.Null(FileSource.FormatFromExtension("a.json"));
        Assert.Null(FileSource.FormatFromExtension("a"));
    }

    [Fact]
    public void Column_map_naming_one_source_column_twice_is_rejected_up_front()
    {
        var options = new FileSourceOptions { ColumnMap = new Dictionary<string, string> { ["Symbol"] = "symbol", ["SYMBOL"] = "ticker" } };

        var error = Assert.Throws<ArgumentException>(() => new FileSource("x.csv", options));

        Assert.Contains("'SYMBOL' twice", error.Message, StringComparison.Ordinal);
    }
}
