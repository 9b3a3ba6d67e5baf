using MarketSpine.Domains.Otc.Parsing;
using MarketSpine.Testing;

namespace MarketSpine.Domains.Otc.Tests.Parsing;

/// <summary>
/// The parser against FINRA's real files in ../shared/data/finra. [SharedDataFact] skips these
/// (reported as skipped, with the reason) in a clone without the shared folder, and lets them
/// run, and fail on the missing folder, when CI=true.
/// </summary>
public sealed class RealFinraFileTests
{
    private const string File20251215 = "finra_otc_weekly_otc_20251215.csv";
    private const string File20251222 = "finra_otc_weekly_otc_20251222.csv";
    private const string File20251229 = "finra_otc_weekly_otc_20251229.csv";

    [SharedDataFact]
    public void Every_real_file_parses_to_its_exact_row_count()
    {
        Assert.Equal(5_328, Read(File20251215).Count);
        Assert.Equal(5_192, Read(File20251222).Count);
        Assert.Equal(4_655, Read(File20251229).Count);
    }

    [SharedDataFact]
    public void The_20251215_file_matches_the_reference_figures()
    {
        var rows = Read(File20251215);

        var totalShares = rows.Sum(r => r.ShareQuantity);
        var otcnShares = rows.Where(r => r.Mpid == "OTCN").Sum(r => r.ShareQuantity);
        Assert.Equal(9, rows.Select(r => r.Mpid).Distinct().Count());
        Assert.Equal(1_335_995_901, totalShares);
        Assert.Equal(472_776, rows.Sum(r => r.TradeCount));
        Assert.Equal(82.19m, Math.Round(100m * otcnShares / totalShares, 2));
        Assert.All(rows, r => Assert.Equal(new DateOnly(2025, 12, 15), r.LastUpdateDate));
        Assert.All(rows, r => Assert.Equal("OTC", r.TierDescription));
    }

    [SharedDataFact]
    public void The_first_row_of_the_20251215_file_is_read_field_by_field()
    {
        var first = Read(File20251215)[0];

        Assert.Equal(
            new FinraWeeklyRow(2, "OTC", "AABB", "Asia Broadband Inc Common Stock", "OTCN OTC LINK NQB IDQS", "OTCN", 6_753_871, 171, new DateOnly(2025, 12, 15)),
            first);
    }

    [SharedDataFact]
    public void A_venue_name_with_a_comma_is_one_field_in_a_pipe_file()
    {
        var swcl = Assert.Single(Read(File20251215), r => r.Mpid == "SWCL");

        Assert.Equal("SWCL INX SECURITIES, LLC", swcl.VenueName);
    }

    [SharedDataFact]
    public void The_last_row_of_the_20251229_file_has_an_empty_symbol_and_no_final_newline()
    {
        var bytes = File.ReadAllBytes(TestEnvironment.FinraFile(File20251229));
        var last = Read(File20251229)[^1];

        Assert.NotEqual((byte)'\n', bytes[^1]);
        Assert.Equal(
            new FinraWeeklyRow(4_656, "OTC", string.Empty, string.Empty, "PPEX NORTH CAPITAL PRIVATE SECURITIES CORPORATION", "PPEX", 1, 1, new DateOnly(2025, 12, 29)),
            last);
    }

    [SharedDataFact]
    public void Every_row_rebuilds_its_exact_raw_line()
    {
        foreach (var name in new[] { File20251215, File20251222, File20251229 })
        {
            var lines = File.ReadAllLines(TestEnvironment.FinraFile(name));
            var rows = Read(name);

            Assert.Equal(lines.Length - 1, rows.Count);
            Assert.All(rows, r => Assert.Equal(lines[r.LineNumber - 1], r.ToRawLine()));
        }
    }

    [SharedDataFact]
    public void Repeated_values_share_one_string_instance()
    {
        var rows = Read(File20251215);

        var otcn = rows.Where(r => r.Mpid == "OTCN").ToList();
        Assert.All(otcn, r => Assert.Same(otcn[0].VenueName, r.VenueName));
        Assert.All(otcn, r => Assert.Same(otcn[0].Mpid, r.Mpid));
        Assert.All(rows, r => Assert.Same(rows[0].TierDescription, r.TierDescription));
        var aabb = rows.Where(r => r.Symbol == "AABB").ToList();
        Assert.Equal(2, aabb.Count);
        Assert.Same(aabb[0].Symbol, aabb[1].Symbol);
        Assert.Same(aabb[0].IssueName, aabb[1].IssueName);
    }

    [SharedDataFact]
    public async Task The_file_source_reads_the_same_rows_asynchronously()
    {
        var source = new FinraWeeklyFileSource(TestEnvironment.FinraFile(File20251222));
        var rows = new List<FinraWeeklyRow>();
        await foreach (var row in source.ReadAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        Assert.Equal(source.Read().ToList(), rows);
        Assert.Equal(5_192, rows.Count);
        Assert.Equal(TestEnvironment.FinraFile(File20251222), source.Name);
    }

    private static List<FinraWeeklyRow> Read(string name) =>
        new FinraWeeklyFileSource(TestEnvironment.FinraFile(name)).Read().ToList();
}
