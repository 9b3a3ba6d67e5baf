using MarketSpine.Core.Data;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Persistence;

/// <summary>Writes the lineage columns every OTC row carries, from its capture.</summary>
internal static class LineageWriter
{
    /// <summary>week_ending, tier: the business keys that follow the row's own key columns.</summary>
    public static void WriteWeekAndTier(IBulkInsert insert, Capture capture)
    {
        insert.Write(capture.WeekEnding);
        insert.Write(capture.Tier.ToCode());
    }

    /// <summary>source_update, captured_at, source_file: the publication, storage and file clocks.</summary>
    public static void WriteClocksAndFile(IBulkInsert insert, Capture capture)
    {
        insert.Write(capture.SourceUpdate);
        insert.Write(capture.CapturedAt);
        insert.Write(capture.SourceFile);
    }
}
