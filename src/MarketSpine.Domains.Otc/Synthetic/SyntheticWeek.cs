using System.Globalization;
using System.Text;
using MarketSpine.Domains.Otc.Parsing;

namespace MarketSpine.Domains.Otc.Synthetic;

/// <summary>
/// A generated week: SYNTHETIC data in the exact shape of FINRA's weekly OTC transparency
/// download, for tests and benchmarks only. Its rows are what the parser must give back for
/// the bytes <see cref="WriteTo"/> writes (line numbers included).
/// </summary>
public sealed class SyntheticWeek
{
    internal SyntheticWeek(string tier, DateOnly lastUpdateDate, bool finalNewline, IReadOnlyList<FinraWeeklyRow> rows, IReadOnlyList<SyntheticVenue> venues)
    {
        Tier = tier;
        LastUpdateDate = lastUpdateDate;
        FinalNewline = finalNewline;
        Rows = rows;
        Venues = venues;
    }

    public string Tier { get; }

    public DateOnly LastUpdateDate { get; }

    public bool FinalNewline { get; }

    /// <summary>Data rows in file order: sorted by symbol then MPID, empty-symbol rows last.</summary>
    public IReadOnlyList<FinraWeeklyRow> Rows { get; }

    /// <summary>The venue vocabulary of the week, by rank; small weeks may not use every venue.</summary>
    public IReadOnlyList<SyntheticVenue> Venues { get; }

    /// <summary><c>synthetic_finra_otc_weekly_{tier-slug}_{yyyyMMdd}.psv</c>: never mistaken for a real download.</summary>
    public string FileName => SyntheticWeekGenerator.DefaultFileName(Tier, LastUpdateDate);

    /// <summary>Writes the file: UTF-8 without BOM, LF line ends, FINRA's header, pipe-delimited.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
        writer.Write(FinraWeeklyColumns.CanonicalHeader);
        var date = LastUpdateDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Span<char> number = stackalloc char[20];
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            writer.Write('\n');
            writer.Write(row.TierDescription);
            writer.Write('|');
            writer.Write(row.Symbol);
            writer.Write('|');
            writer.Write(row.IssueName);
            writer.Write('|');
            writer.Write(row.VenueName);
            writer.Write('|');
            writer.Write(row.Mpid);
            writer.Write('|');
            row.ShareQuantity.TryFormat(number, out var written, default, CultureInfo.InvariantCulture);
            writer.Write(number[..written]);
            writer.Write('|');
            row.TradeCount.TryFormat(number, out written, default, CultureInfo.InvariantCulture);
            writer.Write(number[..written]);
            writer.Write('|');
            writer.Write(date);
        }

        if (FinalNewline)
        {
            writer.Write('\n');
        }
    }

    public byte[] ToBytes()
    {
        using var memory = new MemoryStream();
        WriteTo(memory);
        return memory.ToArray();
    }

    /// <summary>Writes the file under <see cref="FileName"/> in <paramref name="directory"/>; returns its path.</summary>
    public string WriteToDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        WriteTo(file);
        return path;
    }
}
