using MarketSpine.Core.Errors;
using MarketSpine.Core.Sources;

namespace MarketSpine.Core.Tests.Sources;

public sealed class JsonFileSourceTests : IDisposable
{
    private static readonly FileSourceOptions FinraOptions = new()
    {
        ColumnMap = new Dictionary<string, string>
        {
            ["issueSymbolIdentifier"] = "symbol",
            ["totalWeeklyShareQuantity"] = "shares",
        },
        RequiredColumns = ["symbol", "shares"],
    };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Json_array_yields_each_object_with_its_element_index_as_line()
    {
        var path = _dir.Write("weekly.json", """
            [
              {"issueSymbolIdentifier": "AAPL", "totalWeeklyShareQuantity": 9.76E9, "issueName": "Apple Inc.", "tier": null},
              {"issueSymbolIdentifier": "MSFT", "totalWeeklyShareQuantity": 1200, "issueName": "Microsoft", "tier": "T1"}
            ]
            """);

        var records = await Read.AllAsync(new FileSource(path, FinraOptions));

        Assert.Equal([1L, 2L], records.Select(r => r.Line));
        Assert.Equal(["AAPL", "MSFT"], records.Select(r => r["symbol"]));
        Assert.Equal("9.76E9", records[0]["shares"]);
        Assert.Equal(9_760_000_000, records[0].GetInt64("shares"));
        Assert.Equal(9_760_000_000m, records[0].GetDecimal("shares"));
        Assert.Null(records[0]["tier"]);
        Assert.True(records[0].HasColumn("tier"));
        Assert.Null(records[0].RawText);
        Assert.Equal(["symbol", "shares", "issueName", "tier"], records[0].Columns);
    }

    [Fact]
    public async Task Json_values_keep_their_text_booleans_are_lower_case_and_nested_values_stay_json()
    {
        var path = _dir.Write("values.json", """[{"price": 12.50, "big": 123456789012345678901234567, "ok": true, "no": false, "tags": ["a", 1], "meta": {"k": "v"}, "s": "caf\u00e9"}]""");

        var record = Assert.Single(await Read.AllAsync(new FileSource(path)));

        Assert.Equal("12.50", record["price"]);
        Assert.Equal("123456789012345678901234567", record["big"]);
        Assert.Equal("true", record["ok"]);
        Assert.Equal("false", record["no"]);
        Assert.Equal("""["a", 1]""", record["tags"]);
        Assert.Equal("""{"k": "v"}""", record["meta"]);
        Assert.Equal("café", record["s"]);
    }

    [Fact]
    public async Task Empty_json_array_has_no_records()
    {
        var path = _dir.Write("none.json", " [ ] ");

        Assert.Empty(await Read.AllAsync(new FileSource(path)));
    }

    [Fact]
    public async Task Ndjson_yields_each_line_with_nulls_and_scientific_notation()
    {
        var path = _dir.Write("weekly.ndjson",
            "{\"issueSymbolIdentifier\":\"AAPL\",\"totalWeeklyShareQuantity\":9.76E9,\"lastUpdateDate\":null}\r\n" +
            "\r\n" +
            "{\"issueSymbolIdentifier\":\"MSFT\",\"totalWeeklyShareQuantity\":\"1200\",\"lastUpdateDate\":\"2024-01-12\"}",
            byteOrderMark: true);

        var records = await Read.AllAsync(new FileSource(path, FinraOptions));

        Assert.Equal([1L, 3L], records.Select(r => r.Line));
        Assert.Equal(["AAPL", "MSFT"], records.Select(r => r["symbol"]));
        Assert.Equal(9_760_000_000, records[0].GetInt64("shares"));
        Assert.Equal(9_760_000_000m, records[0].GetDecimal("shares"));
        Assert.Null(records[0]["lastUpdateDate"]);
        Assert.Null(records[0].GetDateOrNull("lastUpdateDate"));
        Assert.Equal(new DateOnly(2024, 1, 12), records[1].GetDate("lastUpdateDate"));
        Assert.Equal("{\"issueSymbolIdentifier\":\"AAPL\",\"totalWeeklyShareQuantity\":9.76E9,\"lastUpdateDate\":null}", records[0].RawText);
    }

    [Theory]
    [InlineData("feed.jsonl")]
    [InlineData("feed.json")]
    public async Task Jsonl_and_json_files_of_objects_per_line_are_read_as_ndjson(string name)
    {
        var path = _dir.Write(name, "{\"a\":1}\n{\"a\":2}\n");

        var records = await Read.AllAsync(new FileSource(path));

        Assert.Equal(["1", "2"], records.Select(r => r["a"]));
        Assert.Equal([1L, 2L], records.Select(r => r.Line));
    }

    [Fact]
    public async Task Objects_may_differ_in_properties_and_an_absent_optional_property_reads_as_null()
    {
        var path = _dir.Write("ragged.ndjson", "{\"a\":1,\"b\":2}\n{\"b\":3}\n{\"b\":4,\"a\":5}\n");

        var records = await Read.AllAsync(new FileSource(path));

        Assert.Equal(["1", null, "5"], records.Select(r => r["a"]));
        Assert.Equal(["2", "3", "4"], records.Select(r => r["b"]));
        Assert.False(records[1].HasColumn("a"));
    }

    [Fact]
    public async Task Object_without_a_required_property_is_a_header_mismatch_at_its_line()
    {
        var path = _dir.Write("missing.ndjson", "{\"issueSymbolIdentifier\":\"AAPL\",\"totalWeeklyShareQuantity\":1}\n{\"issueSymbolIdentifier\":\"MSFT\"}\n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path, FinraOptions)));

        Assert.Equal(ErrorCodes.SourceHeaderMismatch, error.Code);
        Assert.Equal(2, error.Line);
        Assert.Equal($"{Path.GetFullPath(path)} line 2: missing required column shares; header found: 'issueSymbolIdentifier'.", error.Message);
    }

    [Fact]
    public async Task Json_array_element_without_a_required_property_names_the_element()
    {
        var path = _dir.Write("missing.json", """[{"issueSymbolIdentifier":"AAPL"}]""");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path, FinraOptions)));

        Assert.Equal(ErrorCodes.SourceHeaderMismatch, error.Code);
        Assert.Equal(1, error.Line);
        Assert.StartsWith($"{Path.GetFullPath(path)} element 1: missing required column shares;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_in_a_middle_line_of_ndjson_is_malformed_with_that_line()
    {
        var path = _dir.Write("bad.ndjson", "{\"a\":1}\n{\"a\":x}\n{\"a\":3}\n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(2, error.Line);
        Assert.StartsWith($"{Path.GetFullPath(path)} line 2, byte 6: invalid JSON. 'x' is an invalid start of a value.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_on_the_last_line_that_is_not_at_its_end_is_malformed()
    {
        var path = _dir.Write("bad-last.ndjson", "{\"a\":1}\n{\"a\":x}");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task Ndjson_cut_off_in_its_last_object_is_truncated()
    {
        var path = _dir.Write("cut.ndjson", "{\"a\":1}\n{\"a\":2,\"b\":\n\n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceTruncated, error.Code);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task Ndjson_line_that_is_not_an_object_is_malformed()
    {
        var path = _dir.Write("array-line.ndjson", "{\"a\":1}\n[1,2]\n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(2, error.Line);
        Assert.Equal($"{Path.GetFullPath(path)} line 2: expected a JSON object, found an array.", error.Message);
    }

    [Fact]
    public async Task Invalid_json_inside_an_array_is_malformed_at_the_file_line()
    {
        var path = _dir.Write("bad.json", "[\n  {\"a\":1},\n  {\"a\":x},\n  {\"a\":3}\n]\n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(3, error.Line);
        Assert.StartsWith($"{Path.GetFullPath(path)} line 3, byte 8: invalid JSON.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_array_cut_off_before_its_end_is_truncated()
    {
        var path = _dir.Write("cut.json", "[\n  {\"a\":1},\n  {\"a\":2},\n  {\"a\":");

        var records = new List<string?>();
        var error = await Assert.ThrowsAsync<SourceError>(async () =>
        {
            await foreach (var record in new FileSource(path).ReadAsync(CancellationToken.None))
            {
                records.Add(record["a"]);
            }
        });

        Assert.Equal(ErrorCodes.SourceTruncated, error.Code);
        Assert.Equal(4, error.Line);
        Assert.Equal(["1", "2"], records);
    }

    [Fact]
    public async Task Json_array_element_that_is_not_an_object_is_malformed_at_its_index()
    {
        var path = _dir.Write("numbers.json", """[{"a":1}, 2]""");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(2, error.Line);
        Assert.Equal($"{Path.GetFullPath(path)} element 2: expected a JSON object, found a number.", error.Message);
    }

    [Fact]
    public async Task Json_format_on_a_file_that_is_not_an_array_is_malformed()
    {
        var path = _dir.Write("object.json", """{"data": []}""");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path, new FileSourceOptions { Format = FileFormat.Json })));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(1, error.Line);
        Assert.Contains("expected a JSON array", error.Message, StringComparison.Ordinal);
    }
}
