using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Normalization;
using MarketSpine.Domains.Otc.Parsing;

namespace MarketSpine.Domains.Otc.Tests.Normalization;

public sealed class NormalizerTests
{
    private static readonly DateOnly Published = new(2025, 12, 15);

    private static FinraWeeklyRow Row(long line, string symbol, string mpid, long shares = 100, long trades = 3, string tier = "OTC") =>
        new(line, tier, symbol, symbol.Length == 0 ? "" : symbol + " Inc", mpid + " VENUE", mpid, shares, trades, Published);

    [Fact]
    public void A_valid_row_becomes_a_venue_volume_with_its_average_trade_size()
    {
        var normalizer = new Normalizer(OtcTier.Otc);
        var volume = normalizer.Normalize(Row(2, "AABB", "OTCN", 6_753_871, 171), out var rejected);
        Assert.Null(rejected);
        Assert.NotNull(volume);
        Assert.Equal(("AABB", "OTCN", 6_753_871L, 171L, 2L), (volume.Symbol, volume.Mpid, volume.ShareVolume, volume.TradeCount, volume.SourceLine));
        Assert.Equal(39_496.32m, volume.AverageTradeSize);
        Assert.Equal((1L, 0L), (normalizer.Accepted, normalizer.Rejected));
    }

    [Theory]
    [InlineData(10, 4, 2.5)]
    [InlineData(10, 3, 3.33)]
    [InlineData(5, 8, 0.63)]
    public void Average_trade_size_is_rounded_to_the_cent(long shares, long trades, double expected) =>
        Assert.Equal((decimal)expected, Normalizer.AverageTradeSize(shares, trades));

    [Fact]
    public void No_trades_means_no_average() => Assert.Null(Normalizer.AverageTradeSize(100, 0));

    [Theory]
    [InlineData("", "OTCN", "OTC", RejectReasons.EmptySymbol)]
    [InlineData("AABB", "", "OTC", RejectReasons.EmptyMpid)]
    [InlineData("AABB", "OTCN", "Not Applicable", RejectReasons.UnknownTier)]
    [InlineData("AABB", "OTCN", "NMS Tier 1", RejectReasons.TierMismatch)]
    public void Bad_rows_are_rejected_with_a_reason_and_their_raw_line(string symbol, string mpid, string tier, string reason)
    {
        var normalizer = new Normalizer(OtcTier.Otc);
        var row = Row(7, symbol, mpid, tier: tier);
        Assert.Null(normalizer.Normalize(row, out var rejected));
        Assert.NotNull(rejected);
        Assert.Equal(reason, rejected.ReasonCode);
        Assert.Equal(7, rejected.SourceLine);
        Assert.Equal(row.ToRawLine(), rejected.RawLine);
        Assert.Equal((0L, 1L), (normalizer.Accepted, normalizer.Rejected));
    }

    [Fact]
    public void A_second_row_for_the_same_symbol_and_venue_is_rejected_and_the_first_kept()
    {
        var normalizer = new Normalizer(OtcTier.Otc);
        Assert.NotNull(normalizer.Normalize(Row(2, "AABB", "OTCN"), out _));
        Assert.NotNull(normalizer.Normalize(Row(3, "AABB", "OTCX"), out _));
        Assert.Null(normalizer.Normalize(Row(4, "AABB", "OTCN", 5), out var rejected));
        Assert.Equal(RejectReasons.DuplicateKey, rejected!.ReasonCode);
        Assert.Equal((2L, 1L), (normalizer.Accepted, normalizer.Rejected));
    }

    [Fact]
    public void Negative_volumes_pass_the_normalizer_so_the_quality_gate_can_fail_the_run()
    {
        var volume = new Normalizer(OtcTier.Otc).Normalize(Row(2, "AABB", "OTCN", -5, 1), out var rejected);
        Assert.Null(rejected);
        Assert.Equal(-5, volume!.ShareVolume);
    }

    [Fact]
    public void Sorted_input_finds_duplicates_by_the_previous_key_alone()
    {
        var normalizer = new Normalizer(OtcTier.Otc, inputSortedByKey: true);
        Assert.NotNull(normalizer.Normalize(Row(2, "AABB", "OTCN"), out _));
        Assert.Null(normalizer.Normalize(Row(3, "AABB", "OTCN"), out var duplicate));
        Assert.Equal(RejectReasons.DuplicateKey, duplicate!.ReasonCode);
        // Rejected rows (an empty symbol) do not take part in the order.
        Assert.Null(normalizer.Normalize(Row(4, "", "OTCN"), out _));
        Assert.NotNull(normalizer.Normalize(Row(5, "AABB", "OTCX"), out _));
        Assert.NotNull(normalizer.Normalize(Row(6, "BB", "ARCA"), out _));
        var error = Assert.Throws<InvalidOperationException>(() => normalizer.Normalize(Row(7, "AABB", "ZZZZ"), out _));
        Assert.Contains("Line 7", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A", "X", "B", "A", -1)]
    [InlineData("B", "A", "A", "X", 1)]
    [InlineData("A", "X", "A", "Y", -1)]
    [InlineData("A", "X", "A", "X", 0)]
    [InlineData("BRK.A", "X", "BRKA", "X", -1)]
    public void Keys_compare_by_symbol_then_MPID_ordinally(string s1, string m1, string s2, string m2, int sign) =>
        Assert.Equal(sign, Math.Sign(Normalizer.CompareKeys(s1, m1, s2, m2)));
}
