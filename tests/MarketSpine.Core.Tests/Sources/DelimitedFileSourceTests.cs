using MarketSpine.Core.Errors;
using MarketSpine.Core.Sources;

namespace MarketSpine.Core.Tests.Sources;

public sealed class DelimitedFileSourceTests : IDisposable
{
    private static readonly Dictionary<string, string> FinraMap = new()
    {
        ["issueSymbolIdentifier"] = "symbol",
        ["totalWeeklyShareQuantity"] = "shares",
        ["weekStartDate"] = "week",
    };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Csv_yields_one_record_per_row_with_line_numbers_values_and_raw_text()
    {
        var path = _dir.Write("quotes.csv", "symbol,shares,price\nAAPL,100,189.5\nMSFT,200,410.25\n");

        var records = await Read.AllAsync(new FileSource(path));

        Assert.Equal(2, records.Count);
        Assert.Equal(2, records[0].Line);
        Assert.Equal(3, records[1].Line);
        Assert.Equal("AAPL", records[0]["symbol"]);
        Assert.Equal(100, records[0].GetInt64("shares"));
        Assert.Equal(410.25m, records[1].GetDecimal("price"));
        Assert.Equal("MSFT,200,410.25", records[1].RawText);
        Assert.Equal(["symbol", "shares", "price"], records[0].Columns);
        Assert.Equal(Path.GetFullPath(path), records[0].SourceName);
    }

    [Fact]
    public async Task Psv_file_is_split_on_pipes_and_keeps_commas_in_values()
    {
        var path = _dir.Write("otc.psv", "symbol|name|shares\nACME|Acme, Inc.|5\n");

        var record = Assert.Single(await Read.AllAsync(new FileSource(path)));

        Assert.Equal("Acme, Inc.", record["name"]);
        Assert.Equal(5, record.GetInt64("shares"));
        Assert.Equal("ACME|Acme, Inc.|5", record.RawText);
    }

    [Fact]
    public async Task Txt_file_with_a_pipe_header_is_read_as_psv()
    {
        var path = _dir.Write("finra.txt", "tierDescription|issueSymbolIdentifier|totalWeeklyShareQuantity\nNMS Tier 1|AAPL|9760000000\n");

        var record = Assert.Single(await Read.AllAsync(new FileSource(path, new FileSourceOptions { ColumnMap = FinraMap })));

        Assert.Equal("NMS Tier 1", record["tierDescription"]);
        Assert.Equal("AAPL", record["symbol"]);
        Assert.Equal(9_760_000_000, record.GetInt64("shares"));
    }

    [Fact]
    public async Task Txt_file_without_a_pipe_in_its_header_is_read_as_csv()
    {
        var path = _dir.Write("plain.txt", "a,b\n1,x|y\n");

        var record = Assert.Single(await Read.AllAsync(new FileSource(path)));

        Assert.Equal("1", record["a"]);
        Assert.Equal("x|y", record["b"]);
    }

    [Fact]
    public async Task Format_option_overrides_the_extension()
    {
        var path = _dir.Write("export.dat", "a|b\n1|2\n");

        var record = Assert.Single(await Read.AllAsync(new FileSource(path, new FileSourceOptions { Format = FileFormat.Psv })));

        Assert.Equal("2", record["b"]);
    }

    [Fact]
    public async Task Unknown_extension_without_a_format_is_unreadable_and_says_how_to_fix_it()
    {
        var path = _dir.Write("export.dat", "a,b\n1,2\n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceUnreadable, error.Code);
        Assert.Contains("'.dat'", error.Message, StringComparison.Ordinal);
        Assert.Contains("FileSourceOptions.Format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_mapping_renames_columns_ignoring_case_and_spaces_and_keeps_unmapped_names()
    {
        var path = _dir.Write("finra.csv", " IssueSymbolIdentifier ,TOTALWEEKLYSHAREQUANTITY,weekStartDate,MPID\nAAPL,120,2024-01-08,GSCO\n");
        var options = new FileSourceOptions { ColumnMap = FinraMap, RequiredColumns = ["symbol", "shares", "week"] };

        var record = Assert.Single(await Read.AllAsync(new FileSource(path, options)));

        Assert.Equal(["symbol", "shares", "week", "MPID"], record.Columns);
        Assert.Equal("AAPL", record["symbol"]);
        Assert.Equal(120, record.GetInt64("shares"));
        Assert.Equal(new DateOnly(2024, 1, 8), record.GetDate("week"));
        Assert.Equal("GSCO", record["mpid"]);
        Assert.Null(record["issueSymbolIdentifier"]);
    }

    [Fact]
    public async Task Header_without_a_required_column_names_the_file_the_missing_columns_and_the_header_found()
    {
        var path = _dir.Write("finra.csv", "issueSymbolIdentifier,MPID\nAAPL,GSCO\n");
        var options = new FileSourceOptions { ColumnMap = FinraMap, RequiredColumns = ["symbol", "shares", "week"] };

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path, options)));

        Assert.Equal(ErrorCodes.SourceHeaderMismatch, error.Code);
        Assert.Equal(
            $"{Path.GetFullPath(path)} line 1: missing required columns shares, week; header found: 'issueSymbolIdentifier', 'MPID'.",
            error.Message);
        Assert.Equal(1, error.Line);
        Assert.Equal("shares,week", error.Field);
        Assert.Equal(Path.GetFullPath(path), error.SourceName);
    }

    [Fact]
    public async Task Two_columns_mapped_to_one_name_is_a_header_mismatch()
    {
        var path = _dir.Write("dup.csv", "symbol,issueSymbolIdentifier\nA,B\n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path, new FileSourceOptions { ColumnMap = FinraMap })));

        Assert.Equal(ErrorCodes.SourceHeaderMismatch, error.Code);
        Assert.Equal("symbol", error.Field);
        Assert.Contains("column 'symbol' appears more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Byte_order_mark_and_crlf_are_not_part_of_names_or_values()
    {
        var path = _dir.Write("bom.csv", "issueSymbolIdentifier,shares\r\nAAPL,1\r\nMSFT,2\r\n", byteOrderMark: true);
        var options = new FileSourceOptions { ColumnMap = FinraMap, RequiredColumns = ["symbol"] };

        var records = await Read.AllAsync(new FileSource(path, options));

        Assert.Equal(["AAPL", "MSFT"], records.Select(r => r["symbol"]));
        Assert.Equal(["1", "2"], records.Select(r => r["shares"]));
        Assert.Equal([2L, 3L], records.Select(r => r.Line));
        Assert.Equal("MSFT,2", records[1].RawText);
    }

    [Fact]
    public async Task Quoted_fields_keep_commas_escaped_quotes_and_line_breaks()
    {
        var path = _dir.Write("names.csv",
            "symbol,name,shares\n" +
            "ACME,\"Acme, Inc.\",10\n" +
            "QT,\"The \"\"Quoted\"\" Co\",20\n" +
            "ML,\"Two\nLines\",30\n" +
            "LAST,Last Co,40\n");

        var records = await Read.AllAsync(new FileSource(path));

        Assert.Equal(["Acme, Inc.", "The \"Quoted\" Co", "Two\nLines", "Last Co"], records.Select(r => r["name"]));
        // A record's line is where it starts; the one after a two-line record starts two lines later.
        Assert.Equal([2L, 3L, 4L, 6L], records.Select(r => r.Line));
        Assert.Equal("ACME,\"Acme, Inc.\",10", records[0].RawText);
    }

    [Fact]
    public async Task Blank_lines_are_skipped_and_a_missing_final_newline_is_fine()
    {
        var path = _dir.Write("gaps.csv", "a,b\n\n1,2\n   \n\t\n3,4");

        var records = await Read.AllAsync(new FileSource(path));

        Assert.Equal([3L, 6L], records.Select(r => r.Line));
        Assert.Equal(["2", "4"], records.Select(r => r["b"]));
    }

    [Fact]
    public async Task Empty_fields_read_as_empty_text_and_as_null_through_the_nullable_getters()
    {
        var path = _dir.Write("empty-fields.csv", "symbol,shares,week\nAAPL,,\n");

        var record = Assert.Single(await Read.AllAsync(new FileSource(path)));

        Assert.Equal("", record["shares"]);
        Assert.Null(record.GetInt64OrNull("shares"));
        Assert.Null(record.GetDateOrNull("week"));
    }

    [Fact]
    public async Task Header_only_file_has_no_records()
    {
        var path = _dir.Write("header-only.csv", "a,b\r\n");

        Assert.Empty(await Read.AllAsync(new FileSource(path)));
    }

    [Fact]
    public async Task Short_last_row_is_truncated()
    {
        var path = _dir.Write("cut.csv", "symbol,shares,price\nAAPL,100,1.5\nMSFT,20");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceTruncated, error.Code);
        Assert.Equal(3, error.Line);
        Assert.Equal($"{Path.GetFullPath(path)} line 3: 2 fields where the header has 3; the file looks cut off. Line: MSFT,20", error.Message);
    }

    [Fact]
    public async Task Short_last_row_followed_only_by_blank_lines_is_still_truncated()
    {
        var path = _dir.Write("cut.csv", "a,b,c\n1,2,3\n4,5\n\n  \n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceTruncated, error.Code);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task Short_middle_row_is_malformed_with_its_line_number()
    {
        var path = _dir.Write("broken.csv", "a,b,c\n1,2,3\n\n4,5\n6,7,8\n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(4, error.Line);
        Assert.Equal($"{Path.GetFullPath(path)} line 4: 2 fields where the header has 3. Line: 4,5", error.Message);
    }

    [Fact]
    public async Task Rows_read_before_a_malformed_row_are_delivered_first()
    {
        var path = _dir.Write("broken.csv", "a,b\n1,2\n3\n5,6\n");
        var seen = new List<long>();

        var error = await Assert.ThrowsAsync<SourceError>(async () =>
        {
            await foreach (var record in new FileSource(path).ReadAsync(CancellationToken.None))
            {
                seen.Add(record.Line);
            }
        });

        Assert.Equal([2L], seen);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task Long_row_is_malformed_even_at_the_end()
    {
        var path = _dir.Write("long.csv", "a,b\n1,2\n3,4,5");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(3, error.Line);
        Assert.Contains("3 fields where the header has 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quote_left_open_on_the_last_line_is_truncated()
    {
        var path = _dir.Write("cut-quote.csv", "symbol,name\nAAPL,Apple\nACME,\"Acme, In");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceTruncated, error.Code);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public async Task Quote_left_open_in_the_middle_is_malformed_at_the_line_it_opens()
    {
        var path = _dir.Write("open-quote.csv", "symbol,name\nACME,\"Acme\nAAPL,Apple\nMSFT,Microsoft\n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(2, error.Line);
        Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_after_a_closing_quote_is_malformed()
    {
        var path = _dir.Write("after-quote.csv", "a,b\n1,\"x\"y\n2,z\n");

        var error = await Assert.ThrowsAsync<SourceError>(() => Read.AllAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public async Task Stray_quote_inside_an_unquoted_field_is_kept_as_text()
    {
        var path = _dir.Write("inches.csv", "item,size\nscreen,27\" wide\n");

        var record = Assert.Single(await Read.AllAsync(new FileSource(path)));

        Assert.Equal("27\" wide", record["size"]);
    }

    [Fact]
    public async Task Typed_getter_failure_names_the_file_line_and_field()
    {
        var path = _dir.Write("bad-number.csv", "symbol,shares\nAAPL,10\nMSFT,lots\n");
        var records = await Read.AllAsync(new FileSource(path));

        var error = Assert.Throws<SourceError>(() => records[1].GetInt64("shares"));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal($"{Path.GetFullPath(path)} line 3, field 'shares': 'lots' is not an integer.", error.Message);
        Assert.Equal(3, error.Line);
        Assert.Equal("shares", error.Field);
    }

    [Fact]
    public async Task Each_enumeration_reads_the_file_again()
    {
        var path = _dir.Write("twice.csv", "a\n1\n");
        var source = new FileSource(path);

        var first = await Read.AllAsync(source);
        File.WriteAllText(path, "a\n1\n2\n");
        var second = await Read.AllAsync(source);

        Assert.Single(first);
        Assert.Equal(2, second.Count);
    }
}
