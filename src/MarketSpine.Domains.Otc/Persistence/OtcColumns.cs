using MarketSpine.Core.Data;

namespace MarketSpine.Domains.Otc.Persistence;

/// <summary>Column lists of the bulk-loaded OTC tables, in the order rows are written.</summary>
internal static class OtcColumns
{
    public static readonly BulkColumn[] Raw =
    [
        new("capture_id", BulkColumnType.Text), new("source_line", BulkColumnType.BigInt),
        new("tier_description", BulkColumnType.Text), new("symbol", BulkColumnType.Text), new("issue_name", BulkColumnType.Text),
        new("venue_name", BulkColumnType.Text), new("mpid", BulkColumnType.Text),
        new("share_volume", BulkColumnType.BigInt), new("trade_count", BulkColumnType.BigInt), new("last_update_date", BulkColumnType.Date),
    ];

    public static readonly BulkColumn[] VenueVolume =
    [
        new("capture_id", BulkColumnType.Text), new("symbol", BulkColumnType.Text), new("mpid", BulkColumnType.Text),
        new("week_ending", BulkColumnType.Date), new("tier", BulkColumnType.Text),
        new("issue_name", BulkColumnType.Text), new("venue_name", BulkColumnType.Text),
        new("share_volume", BulkColumnType.BigInt), new("trade_count", BulkColumnType.BigInt), new("avg_trade_size", BulkColumnType.Numeric),
        new("source_update", BulkColumnType.Date), new("captured_at", BulkColumnType.TimestampUtc),
        new("source_file", BulkColumnType.Text), new("source_line", BulkColumnType.BigInt),
    ];

    public static readonly BulkColumn[] Rejects =
    [
        new("capture_id", BulkColumnType.Text), new("source_line", BulkColumnType.BigInt),
        new("reason_code", BulkColumnType.Text), new("reason_detail", BulkColumnType.Text), new("raw_line", BulkColumnType.Text),
        new("week_ending", BulkColumnType.Date), new("tier", BulkColumnType.Text), new("source_update", BulkColumnType.Date),
        new("captured_at", BulkColumnType.TimestampUtc), new("source_file", BulkColumnType.Text),
    ];

    public static readonly BulkColumn[] SymbolSummary =
    [
        new("capture_id", BulkColumnType.Text), new("symbol", BulkColumnType.Text),
        new("week_ending", BulkColumnType.Date), new("tier", BulkColumnType.Text), new("issue_name", BulkColumnType.Text),
        new("total_shares", BulkColumnType.BigInt), new("total_trades", BulkColumnType.BigInt), new("venue_count", BulkColumnType.Integer),
        new("avg_trade_size", BulkColumnType.Numeric),
        new("source_update", BulkColumnType.Date), new("captured_at", BulkColumnType.TimestampUtc), new("source_file", BulkColumnType.Text),
    ];

    public static readonly BulkColumn[] VenueShare =
    [
        new("capture_id", BulkColumnType.Text), new("mpid", BulkColumnType.Text),
        new("week_ending", BulkColumnType.Date), new("tier", BulkColumnType.Text), new("venue_name", BulkColumnType.Text),
        new("total_shares", BulkColumnType.BigInt), new("total_trades", BulkColumnType.BigInt), new("symbol_count", BulkColumnType.Integer),
        new("share_pct", BulkColumnType.Numeric), new("rank", BulkColumnType.Integer), new("avg_trade_size", BulkColumnType.Numeric),
        new("source_update", BulkColumnType.Date), new("captured_at", BulkColumnType.TimestampUtc), new("source_file", BulkColumnType.Text),
    ];
}
