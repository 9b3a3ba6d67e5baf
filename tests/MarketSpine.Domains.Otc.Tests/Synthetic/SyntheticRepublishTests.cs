using MarketSpine.Domains.Otc.Parsing;
using MarketSpine.Domains.Otc.Synthetic;

namespace MarketSpine.Domains.Otc.Tests.Synthetic;

public sealed class SyntheticRepublishTests
{
    private static readonly DateOnly Published = new(2025, 12, 15);
    private static readonly DateOnly Revised = new(2026, 2, 3);

    private static readonly SyntheticWeek Original = SyntheticWeekGenerator.Generate(21, 10_000, SyntheticWeekGenerator.NmsTier2, Published);

    [Fact]
    public void A_republication_keeps_the_week_and_changes_some_rows()
    {
        var revised = SyntheticWeekGenerator.Republish(Original, new SyntheticRepublishOptions(1, Revised));

        var before = Original.Rows.ToDictionary(r => (r.Symbol, r.Mpid));
        var after = revised.Rows.ToDictionary(r => (r.Symbol, r.Mpid));
        var changed = after.Count(kv => before.TryGetValue(kv.Key, out var old) && old.ShareQuantity != kv.Value.ShareQuantity);
        var removed = before.Keys.Count(k => !after.ContainsKey(k));
        var added = after.Keys.Count(k => !before.ContainsKey(k));

        Assert.Equal(SyntheticWeekGenerator.NmsTier2, revised.Tier);
        Assert.Equal(Revised, revised.LastUpdateDate);
        Assert.All(revised.Rows, r => Assert.Equal(Revised, r.LastUpdateDate));
        Assert.InRange(changed, 300, 700);
        Assert.InRange(removed, 50, 150);
        Assert.Equal(100, added);
        Assert.Equal(Original.Rows.Count - removed + added, revised.Rows.Count);
        Assert.Subset(Original.Rows.Select(r => r.Symbol).ToHashSet(), revised.Rows.Select(r => r.Symbol).ToHashSet());
        Assert.Subset(Original.Rows.Select(r => r.Mpid).ToHashSet(), revised.Rows.Select(r => r.Mpid).ToHashSet());
        Assert.All(after.Where(kv => !before.ContainsKey(kv.Key)), kv =>
            Assert.Equal(Original.Rows.First(r => r.Symbol == kv.Key.Symbol).IssueName, kv.Value.IssueName));
    }

    [Fact]
    public void A_republication_is_a_valid_sorted_file_with_fresh_line_numbers()
    {
        var revised = SyntheticWeekGenerator.Republish(Original, new SyntheticRepublishOptions(2, Revised) { FinalNewline = false });
        var bytes = revised.ToBytes();

        using var stream = new MemoryStream(bytes);
        var parsed = FinraWeeklyParser.Parse(stream, "revised").ToList();

        Assert.Equal(revised.Rows, parsed);
        Assert.NotEqual((byte)'\n', bytes[^1]);
        Assert.Equal(parsed.Count, parsed.Select(r => (r.Symbol, r.Mpid)).Distinct().Count());
        Assert.Equal(Enumerable.Range(2, parsed.Count).Select(i => (long)i), parsed.Select(r => r.LineNumber));
        Assert.All(parsed.SkipWhile(r => r.Symbol.Length > 0), r => Assert.Empty(r.Symbol));
        Assert.Equal("synthetic_finra_otc_weekly_nms_tier_2_20260203.psv", revised.FileName);
    }

    [Fact]
    public void A_republication_is_deterministic()
    {
        var options = new SyntheticRepublishOptions(3, Revised);

        Assert.Equal(SyntheticWeekGenerator.Republish(Original, options).ToBytes(), SyntheticWeekGenerator.Republish(Original, options).ToBytes());
        Assert.NotEqual(SyntheticWeekGenerator.Republish(Original, options).ToBytes(), SyntheticWeekGenerator.Republish(Original, options with { Seed = 4 }).ToBytes());
    }

    [Fact]
    public void A_republication_must_be_dated_after_the_original()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticWeekGenerator.Republish(Original, new SyntheticRepublishOptions(1, Published)));
    }
}
