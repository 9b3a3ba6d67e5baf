using System.Text;
using MarketSpine.Core.Errors;
using MarketSpine.Domains.Otc.Parsing;
using static MarketSpine.Domains.Otc.Tests.Parsing.TestInput;

namespace MarketSpine.Domains.Otc.Tests.Parsing;

/// <summary>Bad input: every failure is a SourceError with the right code, source, line and field.</summary>
public sealed class FinraWeeklyParserErrorTests
{
    private const string Good = "OTC|AAA|Alpha Inc|VENUE ONE|VONE|10|2|2025-12-15";

    [Fact]
    public void A_header_missing_columns_names_them_and_what_was_found()
    {
        var error = ParseFails($"tierDescription|issueSymbolIdentifier|issueName|venue|MPID|shares|totalWeeklyTradeCount|lastUpdateDate\n{Good}\n");

        Assert.Equal(ErrorCodes.SourceHeaderMismatch, error.Code);
        Assert.Equal(SourceName, error.SourceName);
        Assert.Equal(1, error.Line);
        Assert.Equal("marketParticipantName, totalWeeklyShareQuantity", error.Field);
        Assert.Contains(SourceName, error.Message, StringComparison.Ordinal);
        Assert.Contains("missing required column(s) marketParticipantName, totalWeeklyShareQuantity", error.Message, StringComparison.Ordinal);
        Assert.Contains("found: tierDescription, issueSymbolIdentifier, issueName, venue, MPID, shares, totalWeeklyTradeCount, lastUpdateDate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_delimited_at_all_is_a_header_mismatch()
    {
        var error = ParseFails("<html><body>Service unavailable</body></html>\n");

        Assert.Equal(ErrorCodes.SourceHeaderMismatch, error.Code);
        Assert.Contains("found: <html><body>Service unavailable</body></html>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicated_required_column_is_a_header_mismatch()
    {
        var error = ParseFails($"{Header}|MPID\n");

        Assert.Equal(ErrorCodes.SourceHeaderMismatch, error.Code);
        Assert.Equal("MPID", error.Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("\n\r\n  \n")]
    public void An_empty_file_is_source_empty(string text)
    {
        var error = ParseFails(text);

        Assert.Equal(ErrorCodes.SourceEmpty, error.Code);
        Assert.Equal(SourceName, error.SourceName);
        Assert.Contains(SourceName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_last_line_is_source_truncated()
    {
        var error = ParseFails($"{Header}\n{Good}\nOTC|BBB|Beta Inc|VENUE ONE|VONE|1");

        Assert.Equal(ErrorCodes.SourceTruncated, error.Code);
        Assert.Equal((3L, "totalWeeklyTradeCount"), (error.Line, error.Field));
        Assert.Equal(SourceName, error.SourceName);
        Assert.Contains("file truncated?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_last_line_followed_only_by_blank_lines_is_still_truncated()
    {
        var error = ParseFails($"{Header}\n{Good}\nOTC|BBB|Beta Inc\n\n\n");

        Assert.Equal(ErrorCodes.SourceTruncated, error.Code);
        Assert.Equal((3L, "marketParticipantName"), (error.Line, error.Field));
    }

    [Fact]
    public void The_rows_before_a_truncated_line_are_yielded_first()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes($"{Header}\n{Good}\nOTC|BBB"));
        var rows = new List<FinraWeeklyRow>();

        var error = Assert.Throws<SourceError>(() =>
        {
            foreach (var row in FinraWeeklyParser.Parse(stream, SourceName))
            {
                rows.Add(row);
            }
        });

        Assert.Equal(ErrorCodes.SourceTruncated, error.Code);
        Assert.Single(rows);
    }

    [Fact]
    public void A_short_line_in_the_middle_is_source_malformed()
    {
        var error = ParseFails($"{Header}\n{Good}\nOTC|BBB|Beta Inc|VENUE ONE|VONE|1\n{Good}\n");

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal((3L, "totalWeeklyTradeCount"), (error.Line, error.Field));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_with_too_many_fields_is_source_malformed()
    {
        var error = ParseFails($"{Header}\nOTC|AAA|Alpha | Beta Inc|VENUE ONE|VONE|10|2|2025-12-15\n");

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(2, error.Line);
        Assert.Contains("9 fields but the header has 8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OTC|AAA|Alpha|V1|VONE|12x|2|2025-12-15", "totalWeeklyShareQuantity", "'12x'")]
    [InlineData("OTC|AAA|Alpha|V1|VONE||2|2025-12-15", "totalWeeklyShareQuantity", "''")]
    [InlineData("OTC|AAA|Alpha|V1|VONE|1,000|2|2025-12-15", "totalWeeklyShareQuantity", "'1,000'")]
    [InlineData("OTC|AAA|Alpha|V1|VONE|+5|2|2025-12-15", "totalWeeklyShareQuantity", "'+5'")]
    [InlineData("OTC|AAA|Alpha|V1|VONE| 5|2|2025-12-15", "totalWeeklyShareQuantity", "' 5'")]
    [InlineData("OTC|AAA|Alpha|V1|VONE|99999999999999999999|2|2025-12-15", "totalWeeklyShareQuantity", "'99999999999999999999'")]
    [InlineData("OTC|AAA|Alpha|V1|VONE|5|two|2025-12-15", "totalWeeklyTradeCount", "'two'")]
    [InlineData("OTC|AAA|Alpha|V1|VONE|5|-|2025-12-15", "totalWeeklyTradeCount", "'-'")]
    [InlineData("OTC|AAA|Alpha|V1|VONE|5|2|2025-13-01", "lastUpdateDate", "'2025-13-01'")]
    [InlineData("OTC|AAA|Alpha|V1|VONE|5|2|2025-02-29", "lastUpdateDate", "'2025-02-29'")]
    [InlineData("OTC|AAA|Alpha|V1|VONE|5|2|12/15/2025", "lastUpdateDate", "'12/15/2025'")]
    [InlineData("OTC|AAA|Alpha|V1|VONE|5|2|", "lastUpdateDate", "''")]
    public void A_bad_value_is_source_malformed_naming_line_and_field(string line, string field, string quotedValue)
    {
        var error = ParseFails($"{Header}\n{Good}\n{Good.Replace("AAA", "ZZZ", StringComparison.Ordinal)}\n{line}\n{Good}\n");

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal(SourceName, error.SourceName);
        Assert.Equal(4, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains($"{SourceName}: line 4, field {field}: {quotedValue}", error.Message, StringComparison.Ordinal);
        Assert.Equal(4L, error.Details["line"]);
        Assert.Equal(field, error.Details["field"]);
    }

    [Fact]
    public void A_comma_file_cut_inside_a_quoted_value_is_truncated()
    {
        var text = "tierDescription,issueSymbolIdentifier,issueName,marketParticipantName,MPID,totalWeeklyShareQuantity,totalWeeklyTradeCount,lastUpdateDate\n" +
                   "OTC,AAA,\"Alpha, Inc\",V1,VONE,1,1,2025-12-15\n" +
                   "OTC,BBB,\"Beta, In";

        var error = ParseFails(text);

        Assert.Equal(ErrorCodes.SourceTruncated, error.Code);
        Assert.Equal((3L, "issueName"), (error.Line, error.Field));
    }

    [Fact]
    public void Text_after_a_closing_quote_is_malformed()
    {
        var text = "tierDescription,issueSymbolIdentifier,issueName,marketParticipantName,MPID,totalWeeklyShareQuantity,totalWeeklyTradeCount,lastUpdateDate\n" +
                   "OTC,AAA,\"Alpha\" Inc,V1,VONE,1,1,2025-12-15\n";

        var error = ParseFails(text);

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal((2L, "issueName"), (error.Line, error.Field));
    }

    [Fact]
    public async Task A_missing_file_is_source_not_found()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-finra-file-{Guid.NewGuid():N}.csv");
        var source = new FinraWeeklyFileSource(path);

        var sync = Assert.Throws<SourceError>(() => source.Read().ToList());
        var async = await Assert.ThrowsAsync<SourceError>(async () =>
        {
            await foreach (var unused in source.ReadAsync(CancellationToken.None))
            {
            }
        });

        Assert.Equal(ErrorCodes.SourceNotFound, sync.Code);
        Assert.Equal(ErrorCodes.SourceNotFound, async.Code);
        Assert.Equal(path, sync.SourceName);
        Assert.Contains(path, sync.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_an_async_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"finra-cancel-{Guid.NewGuid():N}.psv");
        await File.WriteAllTextAsync(path, $"{Header}\n{Good}\n");
        try
        {
            using var cts = new CancellationTokenSource();
            await cts.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var unused in new FinraWeeklyFileSource(path).ReadAsync(cts.Token))
                {
                }
            });
        }
        finally
        {
            File.Delete(path);
        }
    }
}
