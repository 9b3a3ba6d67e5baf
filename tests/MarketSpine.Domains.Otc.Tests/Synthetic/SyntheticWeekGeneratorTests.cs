using System.Security.Cryptography;
using MarketSpine.Domains.Otc.Parsing;
using MarketSpine.Domains.Otc.Synthetic;

namespace MarketSpine.Domains.Otc.Tests.Synthetic;

public sealed class SyntheticWeekGeneratorTests
{
    // SHA-256 of Generate(42, 200, OTC, 2025-12-15).ToBytes(); see the test that uses it.
    private const string PinnedSha256 = "36596DC5B5AC56BD58B1FC9C1AF9AEF38B5F9A908F2869D66B182C03B179CE55";

    private static readonly DateOnly Date = new(2025, 12, 15);

    [Fact]
    public void The_same_seed_gives_byte_identical_files()
    {
        var first = SyntheticWeekGenerator.Generate(42, 3_000, SyntheticWeekGenerator.Otc, Date).ToBytes();
        var second = SyntheticWeekGenerator.Generate(42, 3_000, SyntheticWeekGenerator.Otc, Date).ToBytes();
        var other = SyntheticWeekGenerator.Generate(43, 3_000, SyntheticWeekGenerator.Otc, Date).ToBytes();

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_seed_gives_the_same_bytes_on_every_machine_and_runtime()
    {
        // Pinned: the generator uses its own PRNG and IEEE-exact arithmetic only, so this hash
        // may change only when the generator is changed on purpose (then re-pin it here).
        var bytes = SyntheticWeekGenerator.Generate(42, 200, SyntheticWeekGenerator.Otc, Date).ToBytes();

        Assert.Equal(PinnedSha256, Convert.ToHexString(SHA256.HashData(bytes)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(12_345)]
    public void The_row_count_is_exact(int rowCount)
    {
        foreach (var tier in SyntheticWeekGenerator.Tiers)
        {
            var week = SyntheticWeekGenerator.Generate(rowCount, rowCount, tier, Date);

            Assert.Equal(rowCount, week.Rows.Count);
            Assert.Equal(rowCount, Parse(week).Count);
        }
    }

    [Fact]
    public void The_file_parses_back_to_the_generated_rows()
    {
        foreach (var tier in SyntheticWeekGenerator.Tiers)
        {
            var week = SyntheticWeekGenerator.Generate(5, 5_000, tier, Date);

            var rows = Parse(week);

            Assert.Equal(week.Rows, rows);
            Assert.All(rows, r => Assert.Equal(tier, r.TierDescription));
            Assert.All(rows, r => Assert.Equal(Date, r.LastUpdateDate));
            Assert.All(rows, r => Assert.True(r.ShareQuantity >= 1 && r.TradeCount >= 1 && r.TradeCount <= r.ShareQuantity));
        }
    }

    [Fact]
    public void Symbol_and_mpid_are_unique_and_rows_are_sorted_like_finra_files()
    {
        var rows = SyntheticWeekGenerator.Generate(11, 20_000, SyntheticWeekGenerator.NmsTier1, Date).Rows;

        Assert.Equal(rows.Count, rows.Select(r => (r.Symbol, r.Mpid)).Distinct().Count());
        var withSymbol = rows.TakeWhile(r => r.Symbol.Length > 0).ToList();
        var empty = rows.Skip(withSymbol.Count).ToList();
        Assert.InRange(empty.Count, 1, 3);
        Assert.All(empty, r => Assert.Equal((string.Empty, string.Empty), (r.Symbol, r.IssueName)));
        for (var i = 1; i < withSymbol.Count; i++)
        {
            var bySymbol = string.CompareOrdinal(withSymbol[i - 1].Symbol, withSymbol[i].Symbol);
            Assert.True(bySymbol < 0 || (bySymbol == 0 && string.CompareOrdinal(withSymbol[i - 1].Mpid, withSymbol[i].Mpid) < 0), $"rows {i + 1} and {i + 2} are out of order");
        }

        Assert.Equal(Enumerable.Range(2, rows.Count).Select(i => (long)i), rows.Select(r => r.LineNumber));
    }

    [Fact]
    public void Volumes_are_heavy_tailed_like_the_real_files()
    {
        var week = SyntheticWeekGenerator.Generate(1, 50_000, SyntheticWeekGenerator.Otc, Date);
        var rows = week.Rows;
        var total = (double)rows.Sum(r => r.ShareQuantity);

        var byVenue = rows.GroupBy(r => r.Mpid).Select(g => g.Sum(r => r.ShareQuantity)).OrderByDescending(s => s).ToList();
        var bySymbol = rows.Where(r => r.Symbol.Length > 0).GroupBy(r => r.Symbol).Select(g => g.Sum(r => r.ShareQuantity)).OrderByDescending(s => s).ToList();
        var topPercentOfSymbols = bySymbol.Take(bySymbol.Count / 100).Sum() / total;

        Assert.InRange(byVenue.Count, 20, 60);
        Assert.Equal(week.Venues.Count, byVenue.Count);
        Assert.InRange(byVenue[0] / total, 0.65, 0.95);
        Assert.InRange(topPercentOfSymbols, 0.30, 0.80);
        Assert.Equal("OTCN", rows.GroupBy(r => r.Mpid).MaxBy(g => g.Sum(r => r.ShareQuantity))!.Key);
        var rowsPerSymbol = rows.Where(r => r.Symbol.Length > 0).GroupBy(r => r.Symbol).Select(g => g.Count()).ToList();
        Assert.InRange(rowsPerSymbol.Count(c => c == 1) / (double)rowsPerSymbol.Count, 0.35, 0.60);
    }

    [Fact]
    public void Names_carry_the_characters_that_break_naive_parsers()
    {
        var rows = SyntheticWeekGenerator.Generate(2, 10_000, SyntheticWeekGenerator.Otc, Date).Rows;
        var names = rows.Select(r => r.IssueName).Concat(rows.Select(r => r.VenueName)).ToList();

        foreach (var needle in new[] { ",", "$", "&", "#", "  " })
        {
            Assert.Contains(names, n => n.Contains(needle, StringComparison.Ordinal));
        }

        Assert.Contains(rows, r => r.VenueName == "SWCL INX SECURITIES, LLC" || r.VenueName.EndsWith(", LLC", StringComparison.Ordinal));
        Assert.All(rows.Where(r => r.Symbol.Length > 0), r => Assert.Matches("^[A-Z]{1,6}$", r.Symbol));
        Assert.All(rows, r => Assert.StartsWith(r.Mpid + " ", r.VenueName, StringComparison.Ordinal));
    }

    [Fact]
    public void The_venue_count_follows_the_options()
    {
        var fixedCount = SyntheticWeekGenerator.Generate(new SyntheticWeekOptions(3, 5_000, SyntheticWeekGenerator.NmsTier2, Date) { VenueCount = 25 });
        var bySeed = Enumerable.Range(0, 20).Select(seed => SyntheticWeekGenerator.Generate(seed, 100, SyntheticWeekGenerator.Otc, Date).Venues.Count).ToList();

        Assert.Equal(25, fixedCount.Venues.Count);
        Assert.Equal(25, fixedCount.Rows.Select(r => r.Mpid).Distinct().Count());
        Assert.All(bySeed, count => Assert.InRange(count, 20, 60));
        Assert.Equal(["OTCN", "OTCX", "ARCA", "PPEX"], fixedCount.Venues.Take(4).Select(v => v.Mpid));
    }

    [Fact]
    public void A_missing_final_newline_is_optional_and_still_parses()
    {
        var options = new SyntheticWeekOptions(9, 500, SyntheticWeekGenerator.Otc, Date);
        var withNewline = SyntheticWeekGenerator.Generate(options).ToBytes();
        var without = SyntheticWeekGenerator.Generate(options with { FinalNewline = false }).ToBytes();

        Assert.Equal((byte)'\n', withNewline[^1]);
        Assert.NotEqual((byte)'\n', without[^1]);
        Assert.Equal(withNewline[..^1], without);
        Assert.Equal(500, TestParse(without).Count);
    }

    [Fact]
    public void Empty_symbol_rows_follow_the_options()
    {
        var none = SyntheticWeekGenerator.Generate(new SyntheticWeekOptions(4, 1_000, SyntheticWeekGenerator.Otc, Date) { EmptySymbolRows = 0 });
        var five = SyntheticWeekGenerator.Generate(new SyntheticWeekOptions(4, 1_000, SyntheticWeekGenerator.Otc, Date) { EmptySymbolRows = 5 });

        Assert.DoesNotContain(none.Rows, r => r.Symbol.Length == 0);
        Assert.Equal(5, five.Rows.Count(r => r.Symbol.Length == 0));
        Assert.Equal(1_000, five.Rows.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SyntheticWeekGenerator.Generate(new SyntheticWeekOptions(4, 1_000, SyntheticWeekGenerator.Otc, Date) { VenueCount = 20, EmptySymbolRows = 21 }));
    }

    [Fact]
    public void Files_are_named_as_synthetic()
    {
        Assert.Equal("synthetic_finra_otc_weekly_nms_tier_1_20251215.psv", SyntheticWeekGenerator.DefaultFileName(SyntheticWeekGenerator.NmsTier1, Date));
        Assert.Equal("synthetic_finra_otc_weekly_otc_20251229.psv", SyntheticWeekGenerator.Generate(1, 10, SyntheticWeekGenerator.Otc, new DateOnly(2025, 12, 29)).FileName);
    }

    [Fact]
    public void A_week_written_to_a_directory_reads_back_through_the_file_source()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"synthetic-{Guid.NewGuid():N}");
        try
        {
            var week = SyntheticWeekGenerator.Generate(8, 1_000, SyntheticWeekGenerator.NmsTier1, Date);

            var path = week.WriteToDirectory(directory);

            Assert.Equal(Path.Combine(directory, "synthetic_finra_otc_weekly_nms_tier_1_20251215.psv"), path);
            Assert.Equal(week.Rows, new FinraWeeklyFileSource(path).Read().ToList());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void An_unknown_tier_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticWeekGenerator.Generate(1, 10, "Tier 3", Date));
    }

    private static List<FinraWeeklyRow> Parse(SyntheticWeek week) => TestParse(week.ToBytes());

    private static List<FinraWeeklyRow> TestParse(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return FinraWeeklyParser.Parse(stream, "synthetic").ToList();
    }
}
