using MarketSpine.Domains.Otc.Calculations;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Tests.Calculations;

public sealed class WeekSummaryCalculatorTests
{
    private static VenueVolume V(string symbol, string mpid, long shares, long trades, long line = 1) =>
        new(line, symbol, symbol + " Corp", mpid, mpid + " Venue", shares, trades, null);

    // A hand-checked week: 1,000 shares in all.
    //   AAA: OTCN 500/5, OTCX 100/2      BBB: OTCN 300/3, ARCA 100/1
    private static readonly VenueVolume[] Week =
    [
        V("AAA", "OTCN", 500, 5), V("AAA", "OTCX", 100, 2), V("BBB", "OTCN", 300, 3), V("BBB", "ARCA", 100, 1),
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Symbol_summaries_total_their_venues(bool grouped)
    {
        var calculator = new SymbolSummaryCalculator(grouped);
        var streamed = Week.Select(calculator.Add).OfType<SymbolSummary>().ToList();
        Assert.Equal(
        [
            new SymbolSummary("AAA", "AAA Corp", 600, 7, 2, 85.71m),
            new SymbolSummary("BBB", "BBB Corp", 400, 4, 2, 100m),
        ], [.. streamed, .. calculator.Finish()]);
        // Grouped, a symbol's summary leaves as soon as the next symbol starts: one symbol held at a time.
        Assert.Equal(grouped ? 1 : 0, streamed.Count);
        var week = Feed(Week);
        Assert.Equal((4L, 1000L, 11L), (week.RowCount, week.TotalShares, week.TotalTrades));
    }

    [Fact]
    public void Ungrouped_rows_are_gathered_and_come_out_in_symbol_order()
    {
        var calculator = new SymbolSummaryCalculator(groupedBySymbol: false);
        foreach (var row in Week.Reverse())
        {
            Assert.Null(calculator.Add(row));
        }

        Assert.Equal(["AAA", "BBB"], calculator.Finish().Select(s => s.Symbol));
    }

    [Fact]
    public void Venue_shares_rank_by_volume_and_break_ties_by_MPID()
    {
        var venues = Feed(Week).VenueShares();
        Assert.Equal(
        [
            new VenueShare("OTCN", "OTCN Venue", 800, 8, 2, 80.0000m, 1, 100m),
            new VenueShare("ARCA", "ARCA Venue", 100, 1, 1, 10.0000m, 2, 100m),
            new VenueShare("OTCX", "OTCX Venue", 100, 2, 1, 10.0000m, 3, 50m),
        ], venues);
    }

    [Fact]
    public void Order_of_rows_does_not_change_the_venue_shares()
    {
        Assert.Equal(Feed(Week).VenueShares(), Feed([.. Week.Reverse()]).VenueShares());
    }

    [Fact]
    public void Shares_are_rounded_to_four_decimals_and_still_sum_to_100_within_tolerance()
    {
        var venues = Feed([V("A", "V1", 1, 1), V("A", "V2", 1, 1), V("A", "V3", 1, 1)]).VenueShares();
        Assert.All(venues, v => Assert.Equal(33.3333m, v.SharePercent));
        Assert.True(OtcQualityChecks.SharesSumTo100(venues).Passed);
    }

    [Fact]
    public void Negative_rows_are_counted_with_the_first_line()
    {
        var calculator = Feed([V("A", "V1", 10, 1, line: 9), V("B", "V1", -1, 1, line: 4), V("C", "V1", 5, -2, line: 6)]);
        Assert.Equal(2, calculator.NegativeRows);
        Assert.Equal(4, calculator.FirstNegativeLine);
        Assert.False(OtcQualityChecks.NoNegativeVolumes(calculator.NegativeRows, calculator.FirstNegativeLine, "c").Passed);
    }

    [Fact]
    public void Quality_checks_report_what_they_measured()
    {
        Assert.False(OtcQualityChecks.RowsPresent(0, "OTC:2025-11-14:2025-12-15").Passed);
        Assert.True(OtcQualityChecks.RowsPresent(1, "c").Passed);
        var off = OtcQualityChecks.SharesSumTo100([new VenueShare("X", "X", 1, 1, 1, 99.98m, 1, 1m)]);
        Assert.False(off.Passed);
        Assert.Contains("99.9800", off.Message, StringComparison.Ordinal);
        Assert.True(OtcQualityChecks.SharesSumTo100([new VenueShare("X", "X", 1, 1, 1, 99.995m, 1, 1m)]).Passed);
        var rate = OtcQualityChecks.RejectRate(99, 1);
        Assert.False(rate.IsGate);
        Assert.Contains("1.00 %", rate.Message, StringComparison.Ordinal);
    }

    private static WeekSummaryCalculator Feed(IEnumerable<VenueVolume> rows)
    {
        var calculator = new WeekSummaryCalculator();
        foreach (var row in rows)
        {
            calculator.Add(row);
        }

        return calculator;
    }
}
