using System.Text;
using MarketSpine.Domains.Otc.Parsing;
using MarketSpine.Domains.Otc.Synthetic;
using static MarketSpine.Domains.Otc.Tests.Parsing.TestInput;

namespace MarketSpine.Domains.Otc.Tests.Parsing;

/// <summary>The shapes of valid input the parser must accept: line ends, BOM, comma files, odd endings.</summary>
public sealed class FinraWeeklyParserTests
{
    private static readonly DateOnly Date = new(2025, 12, 15);

    [Fact]
    public void A_pipe_file_parses_every_field()
    {
        var rows = Parse($"{Header}\nOTC|AABB|Asia Broadband Inc Common Stock|OTCN OTC LINK NQB IDQS|OTCN|6753871|171|2025-12-15\n");

        var row = Assert.Single(rows);
        Assert.Equal(new FinraWeeklyRow(2, "OTC", "AABB", "Asia Broadband Inc Common Stock", "OTCN OTC LINK NQB IDQS", "OTCN", 6_753_871, 171, Date), row);
    }

    [Fact]
    public void Crlf_line_ends_and_a_utf8_bom_are_handled()
    {
        var text = $"\uFEFF{Header}\r\nOTC|AAA|Alpha Inc|VENUE ONE|VONE|10|2|2025-12-15\r\nOTC|BBB|Beta Inc|VENUE TWO|VTWO|20|3|2025-12-15\r\n";

        var rows = Parse(text);

        Assert.Equal(2, rows.Count);
        Assert.Equal(new FinraWeeklyRow(3, "OTC", "BBB", "Beta Inc", "VENUE TWO", "VTWO", 20, 3, Date), rows[1]);
        Assert.Equal("OTC|AAA|Alpha Inc|VENUE ONE|VONE|10|2|2025-12-15", rows[0].ToRawLine());
    }

    [Fact]
    public void A_missing_final_newline_still_yields_the_last_row()
    {
        var rows = Parse($"{Header}\nOTC|AAA|Alpha|V1|VONE|1|1|2025-12-15\nOTC|BBB|Beta|V1|VONE|5|4|2025-12-15");

        Assert.Equal(2, rows.Count);
        Assert.Equal(("BBB", 5L, 4L, 3L), (rows[1].Symbol, rows[1].ShareQuantity, rows[1].TradeCount, rows[1].LineNumber));
    }

    [Fact]
    public void Blank_trailing_lines_are_ignored()
    {
        var rows = Parse($"{Header}\nOTC|AAA|Alpha|V1|VONE|1|1|2025-12-15\n\n\r\n  \n");

        Assert.Single(rows);
    }

    [Fact]
    public void A_header_without_rows_yields_nothing()
    {
        Assert.Empty(Parse(Header));
        Assert.Empty(Parse(Header + "\n"));
    }

    [Fact]
    public void Rows_with_an_empty_symbol_and_name_are_yielded()
    {
        var rows = Parse($"{Header}\nOTC|||PPEX NORTH CAPITAL PRIVATE SECURITIES CORPORATION|PPEX|1|1|2025-12-29");

        var row = Assert.Single(rows);
        Assert.Equal(string.Empty, row.Symbol);
        Assert.Equal(string.Empty, row.IssueName);
        Assert.Equal("PPEX", row.Mpid);
    }

    [Fact]
    public void Negative_counts_parse_and_are_left_to_the_quality_gates()
    {
        var row = Assert.Single(Parse($"{Header}\nOTC|AAA|Alpha|V1|VONE|-5|-1|2025-12-15\n"));

        Assert.Equal((-5L, -1L), (row.ShareQuantity, row.TradeCount));
    }

    [Fact]
    public void Counts_up_to_long_max_parse()
    {
        var row = Assert.Single(Parse($"{Header}\nOTC|AAA|Alpha|V1|VONE|9223372036854775807|0|2025-12-15\n"));

        Assert.Equal(long.MaxValue, row.ShareQuantity);
        Assert.Equal(0, row.TradeCount);
    }

    [Fact]
    public void Columns_are_found_by_name_in_any_order_and_extra_columns_are_ignored()
    {
        var text = "MPID|lastUpdateDate|extra|issueName|totalWeeklyTradeCount|tierDescription|marketParticipantName|totalWeeklyShareQuantity|issueSymbolIdentifier\n" +
                   "VONE|2025-12-15|ignored|Alpha Inc|7|OTC|VENUE ONE|70|AAA\n";

        var row = Assert.Single(Parse(text));

        Assert.Equal(new FinraWeeklyRow(2, "OTC", "AAA", "Alpha Inc", "VENUE ONE", "VONE", 70, 7, Date), row);
        Assert.Equal("OTC|AAA|Alpha Inc|VENUE ONE|VONE|70|7|2025-12-15", row.ToRawLine());
    }

    [Fact]
    public void Names_keep_their_inner_and_trailing_spaces()
    {
        var row = Assert.Single(Parse($"{Header}\nOTC|AONCW|AMERICAN ONCOLOGY NETWORK INC Warrant   09/20/2028 |V1|VONE|1|1|2025-12-15\n"));

        Assert.Equal("AMERICAN ONCOLOGY NETWORK INC Warrant   09/20/2028 ", row.IssueName);
    }

    [Fact]
    public void A_comma_file_handles_rfc4180_quoting()
    {
        var text = "tierDescription,issueSymbolIdentifier,issueName,marketParticipantName,MPID,totalWeeklyShareQuantity,totalWeeklyTradeCount,lastUpdateDate\r\n" +
                   "OTC,ZVSA,\"ZyVersa Therapeutics, Inc. Com Par $0.001\",\"SWCL INX SECURITIES, LLC\",SWCL,4,2,2025-12-15\r\n" +
                   "OTC,QQQ,\"The \"\"Quoted\"\" Co\",PLAIN VENUE,PLVN,10,1,2025-12-15\r\n" +
                   "\"OTC\",\"\",\"\",\"\",PLVN,1,1,2025-12-15\r\n";

        var rows = Parse(text);

        Assert.Equal(3, rows.Count);
        Assert.Equal(new FinraWeeklyRow(2, "OTC", "ZVSA", "ZyVersa Therapeutics, Inc. Com Par $0.001", "SWCL INX SECURITIES, LLC", "SWCL", 4, 2, Date, ','), rows[0]);
        Assert.Equal("The \"Quoted\" Co", rows[1].IssueName);
        Assert.Equal((string.Empty, string.Empty, "PLVN"), (rows[2].Symbol, rows[2].IssueName, rows[2].Mpid));
        Assert.Equal("OTC,ZVSA,\"ZyVersa Therapeutics, Inc. Com Par $0.001\",\"SWCL INX SECURITIES, LLC\",SWCL,4,2,2025-12-15", rows[0].ToRawLine());
        Assert.Equal("OTC,QQQ,\"The \"\"Quoted\"\" Co\",PLAIN VENUE,PLVN,10,1,2025-12-15", rows[1].ToRawLine());
    }

    [Fact]
    public void A_comma_file_with_a_quoted_header_and_a_newline_inside_a_quoted_value_keeps_line_numbers()
    {
        var text = "\"tierDescription\",\"issueSymbolIdentifier\",\"issueName\",\"marketParticipantName\",\"MPID\",\"totalWeeklyShareQuantity\",\"totalWeeklyTradeCount\",\"lastUpdateDate\"\n" +
                   "OTC,AAA,\"Two\nLines Inc\",V1,VONE,1,1,2025-12-15\n" +
                   "OTC,BBB,Beta 5\" Pipe Co,V1,VONE,2,1,2025-12-15";

        var rows = Parse(text);

        Assert.Equal(2, rows.Count);
        Assert.Equal(("Two\nLines Inc", 2L), (rows[0].IssueName, rows[0].LineNumber));
        Assert.Equal(("Beta 5\" Pipe Co", 4L), (rows[1].IssueName, rows[1].LineNumber));
    }

    [Fact]
    public void Rows_straddling_reads_and_lines_longer_than_the_buffer_parse_identically()
    {
        var week = SyntheticWeekGenerator.Generate(new SyntheticWeekOptions(7, 2_000, SyntheticWeekGenerator.Otc, Date) { FinalNewline = false });
        var bytes = week.ToBytes();

        using var reader = new FinraWeeklyReader(new TrickleStream(bytes, 7), "trickle", bufferSize: 16);
        var rows = reader.ReadAll().ToList();

        Assert.Equal(week.Rows, rows);
        Assert.Equal(Parse(bytes), rows);
    }

    [Fact]
    public async Task Async_parsing_yields_the_same_rows()
    {
        var bytes = SyntheticWeekGenerator.Generate(3, 1_500, SyntheticWeekGenerator.NmsTier2, Date).ToBytes();
        var rows = new List<FinraWeeklyRow>();

        using var stream = new TrickleStream(bytes, 1_000);
        await foreach (var row in FinraWeeklyParser.ParseAsync(stream, "async"))
        {
            rows.Add(row);
        }

        Assert.Equal(Parse(bytes), rows);
    }

    [Fact]
    public void The_reader_reports_the_delimiter_and_columns_once_the_header_is_read()
    {
        using var reader = new FinraWeeklyReader(new MemoryStream(Encoding.UTF8.GetBytes($"{Header}\nOTC|AAA|Alpha|V1|VONE|1|1|2025-12-15\n")), "x");
        Assert.Null(reader.Delimiter);

        Assert.True(reader.TryRead(out _));

        Assert.Equal('|', reader.Delimiter);
        Assert.Equal(FinraWeeklyColumns.Required, reader.Columns);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(2, reader.LinesRead);
    }
}
