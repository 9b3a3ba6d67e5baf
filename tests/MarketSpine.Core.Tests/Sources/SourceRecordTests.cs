using MarketSpine.Core.Errors;
using MarketSpine.Core.Sources;

namespace MarketSpine.Core.Tests.Sources;

public sealed class SourceRecordTests
{
    private static SourceRecord Record(params (string Column, string? Value)[] values) =>
        new("feed.csv", 7, values.ToDictionary(v => v.Column, v => v.Value), "raw text");

    [Theory]
    [InlineData("42", 42L)]
    [InlineData(" -7 ", -7L)]
    [InlineData("9.76E9", 9_760_000_000L)]
    [InlineData("9.76e+9", 9_760_000_000L)]
    [InlineData("1200.0", 1200L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void GetInt64_reads_integers_and_integral_decimals_in_scientific_notation(string text, long expected)
    {
        Assert.Equal(expected, Record(("n", text)).GetInt64("n"));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1,000")]
    [InlineData("9.99E30")]
    [InlineData("ten")]
    public void GetInt64_rejects_fractions_separators_overflow_and_words(string text)
    {
        var error = Assert.Throws<SourceError>(() => Record(("n", text)).GetInt64("n"));

        Assert.Equal(ErrorCodes.SourceMalformed, error.Code);
        Assert.Equal($"feed.csv line 7, field 'n': '{text}' is not an integer.", error.Message);
        Assert.Equal("feed.csv", error.SourceName);
        Assert.Equal(7, error.Line);
        Assert.Equal("n", error.Field);
    }

    [Theory]
    [InlineData("12.50", "12.50")]
    [InlineData("9.76E9", "9760000000")]
    [InlineData("-0.001", "-0.001")]
    [InlineData("1E-3", "0.001")]
    [InlineData(" 3 ", "3")]
    public void GetDecimal_is_invariant_and_accepts_scientific_notation(string text, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Record(("p", text)).GetDecimal("p"));
    }

    [Theory]
    [InlineData("1,5")]
    [InlineData("1.000,50")]
    [InlineData("NaN")]
    public void GetDecimal_rejects_separators_a_culture_would_guess_at(string text)
    {
        var error = Assert.Throws<SourceError>(() => Record(("p", text)).GetDecimal("p"));

        Assert.Equal($"feed.csv line 7, field 'p': '{text}' is not a decimal number.", error.Message);
    }

    [Fact]
    public void GetDate_reads_iso_dates_only()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), Record(("d", "2024-02-29")).GetDate("d"));

        var error = Assert.Throws<SourceError>(() => Record(("d", "01/08/2024")).GetDate("d"));
        Assert.Equal("feed.csv line 7, field 'd': '01/08/2024' is not a date (yyyy-MM-dd).", error.Message);
        Assert.Throws<SourceError>(() => Record(("d", "2023-02-29")).GetDate("d"));
    }

    [Fact]
    public void Required_getters_reject_empty_and_null_values_and_nullable_getters_return_null()
    {
        var record = Record(("empty", ""), ("blank", "  "), ("null", null));

        foreach (var column in new[] { "empty", "blank", "null" })
        {
            var error = Assert.Throws<SourceError>(() => record.GetInt64(column));
            Assert.Equal($"feed.csv line 7, field '{column}': a value is required but the field is empty.", error.Message);
            Assert.Throws<SourceError>(() => record.GetDecimal(column));
            Assert.Throws<SourceError>(() => record.GetDate(column));
            Assert.Throws<SourceError>(() => record.GetString(column));
            Assert.Null(record.GetInt64OrNull(column));
            Assert.Null(record.GetDecimalOrNull(column));
            Assert.Null(record.GetDateOrNull(column));
        }
    }

    [Fact]
    public void Getter_of_a_column_the_record_lacks_says_so()
    {
        var error = Assert.Throws<SourceError>(() => Record(("a", "1"), ("b", "2")).GetInt64("c"));

        Assert.Equal("feed.csv line 7, field 'c': the record has no such column (columns: a, b).", error.Message);
    }

    [Fact]
    public void Columns_are_found_ignoring_case_and_absent_ones_read_as_null()
    {
        var record = Record(("Symbol", "AAPL"));

        Assert.Equal("AAPL", record["symbol"]);
        Assert.Equal("AAPL", record["SYMBOL"]);
        Assert.True(record.HasColumn("symbol"));
        Assert.Null(record["shares"]);
        Assert.False(record.HasColumn("shares"));
        Assert.Equal("AAPL", record.GetString("symbol"));
    }

    [Fact]
    public void Hand_built_record_keeps_its_position_raw_text_and_values()
    {
        var record = Record(("a", "1"), ("b", null));

        Assert.Equal("feed.csv", record.SourceName);
        Assert.Equal(7, record.Line);
        Assert.Equal("raw text", record.RawText);
        Assert.Equal(["a", "b"], record.Columns);
        Assert.Equal(new Dictionary<string, string?> { ["a"] = "1", ["b"] = null }, record.ToDictionary());
        Assert.Equal("feed.csv line 7", record.ToString());
    }
}
