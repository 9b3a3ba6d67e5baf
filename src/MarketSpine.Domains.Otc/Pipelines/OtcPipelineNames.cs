namespace MarketSpine.Domains.Otc.Pipelines;

/// <summary>The registered names of the OTC pipelines.</summary>
public static class OtcPipelineNames
{
    public const string Domain = "finra.otc_transparency";
    public const string IngestWeek = Domain + ".ingest_week";
    public const string NormalizeWeek = Domain + ".normalize_week";
    public const string SummarizeWeek = Domain + ".summarize_week";
    public const string RunWeek = Domain + ".run_week";
    public const string BackfillRange = Domain + ".backfill_range";
}
