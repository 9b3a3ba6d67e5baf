using System.Globalization;

namespace MarketSpine.Cli.Tests.Support;

/// <summary>
/// The expected figures of a pipe-delimited weekly file, computed here with a plain split and
/// not with the product's parser, so the CLI's answers are checked against the file itself.
/// Rows with an empty symbol count as rows of the file but not as volume (they are rejected).
/// </summary>
public sealed record WeeklyFileFacts(
    long Rows,
    long EmptySymbolRows,
    long TotalShares,
    long TotalTrades,
    IReadOnlyDictionary<string, long> SharesByVenue,
    IReadOnlyDictionary<string, long> SharesBySymbol,
    IReadOnlyDictionary<(string Symbol, string Mpid), (long Shares, long Trades)> Volumes)
{
    public long AcceptedRows => Rows - EmptySymbolRows;

    public static WeeklyFileFacts Of(string path)
    {
        long rows = 0, empty = 0, shares = 0, trades = 0;
        var byVenue = new Dictionary<string, long>(StringComparer.Ordinal);
        var bySymbol = new Dictionary<string, long>(StringComparer.Ordinal);
        var volumes = new Dictionary<(string, string), (long, long)>();
        foreach (var line in File.ReadLines(path).Skip(1).Where(l => l.Length > 0))
        {
            rows++;
            var fields = line.Split('|');
            Assert.Equal(8, fields.Length);
            if (fields[1].Length == 0)
            {
                empty++;
                continue;
            }

            var rowShares = long.Parse(fields[5], CultureInfo.InvariantCulture);
            var rowTrades = long.Parse(fields[6], CultureInfo.InvariantCulture);
            shares += rowShares;
            trades += rowTrades;
            byVenue[fields[4]] = byVenue.GetValueOrDefault(fields[4]) + rowShares;
            bySymbol[fields[1]] = bySymbol.GetValueOrDefault(fields[1]) + rowShares;
            volumes.Add((fields[1], fields[4]), (rowShares, rowTrades));
        }

        return new WeeklyFileFacts(rows, empty, shares, trades, byVenue, bySymbol, volumes);
    }

    /// <summary>A venue's share of the week's volume in percent, to the 4 decimals the store keeps.</summary>
    public decimal SharePercent(string mpid) => Math.Round(100m * SharesByVenue[mpid] / TotalShares, 4, MidpointRounding.AwayFromZero);
}
