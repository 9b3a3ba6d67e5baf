using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Parsing;

namespace MarketSpine.Domains.Otc.Normalization;

/// <summary>
/// Validates raw rows of one capture into venue volumes, one row at a time (streaming), or
/// rejects them with a reason. Negative volumes are not rejected here: they mean a corrupt file,
/// and the quality gate fails the whole run instead of quietly dropping them.
/// </summary>
/// <remarks>
/// Duplicate (symbol, MPID) rows are found in O(1) memory when the input is sorted by that key,
/// as FINRA's files are (the ingest's validating pass checks): a duplicate is then the previous
/// accepted key. Otherwise every accepted key is remembered (about 28 bytes a row).
/// </remarks>
public sealed class Normalizer(OtcTier tier, bool inputSortedByKey = false)
{
    private readonly HashSet<(string Symbol, string Mpid)>? _seen = inputSortedByKey ? null : [];
    private string? _lastSymbol;
    private string? _lastMpid;

    public long Accepted { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Returns the validated row, or sets <paramref name="rejected"/> and returns null.</summary>
    public VenueVolume? Normalize(in FinraWeeklyRow row, out RejectedRow? rejected)
    {
        var reason = Check(row);
        if (reason is not null)
        {
            rejected = new RejectedRow(row.LineNumber, reason.Value.Code, reason.Value.Detail, row.ToRawLine());
            Rejected++;
            return null;
        }

        rejected = null;
        Accepted++;
        return new VenueVolume(row.LineNumber, row.Symbol, row.IssueName, row.Mpid, row.VenueName, row.ShareQuantity, row.TradeCount,
            AverageTradeSize(row.ShareQuantity, row.TradeCount));
    }

    /// <summary>Shares per trade, to the cent; null when there were no trades.</summary>
    public static decimal? AverageTradeSize(long shares, long trades) =>
        trades == 0 ? null : Math.Round((decimal)shares / trades, 2, MidpointRounding.AwayFromZero);

    private (string Code, string Detail)? Check(in FinraWeeklyRow row)
    {
        if (!OtcTiers.TryParse(row.TierDescription, out var rowTier))
        {
            return (RejectReasons.UnknownTier, $"tier '{row.TierDescription}' is not NMS Tier 1, NMS Tier 2 or OTC");
        }

        if (rowTier != tier)
        {
            return (RejectReasons.TierMismatch, $"row is tier {rowTier.ToCode()}, the capture is {tier.ToCode()}");
        }

        if (string.IsNullOrWhiteSpace(row.Symbol))
        {
            return (RejectReasons.EmptySymbol, "symbol is empty");
        }

        if (string.IsNullOrWhiteSpace(row.Mpid))
        {
            return (RejectReasons.EmptyMpid, "MPID is empty");
        }

        return IsDuplicate(row.Symbol, row.Mpid, row.LineNumber)
            ? (RejectReasons.DuplicateKey, $"second row for symbol {row.Symbol} at venue {row.Mpid}")
            : null;
    }

    private bool IsDuplicate(string symbol, string mpid, long line)
    {
        if (_seen is not null)
        {
            return !_seen.Add((symbol, mpid));
        }

        var order = _lastSymbol is null ? 1 : CompareKeys(symbol, mpid, _lastSymbol, _lastMpid!);
        if (order < 0)
        {
            throw new InvalidOperationException(
                $"Line {line} ({symbol}, {mpid}) comes after ({_lastSymbol}, {_lastMpid}): the normalizer was told its input is sorted by (symbol, MPID) and it is not.");
        }

        _lastSymbol = symbol;
        _lastMpid = mpid;
        return order == 0;
    }

    /// <summary>Ordinal order of (symbol, MPID), the order FINRA's files are in.</summary>
    public static int CompareKeys(string symbol, string mpid, string otherSymbol, string otherMpid)
    {
        var bySymbol = string.CompareOrdinal(symbol, otherSymbol);
        return bySymbol != 0 ? bySymbol : string.CompareOrdinal(mpid, otherMpid);
    }
}
