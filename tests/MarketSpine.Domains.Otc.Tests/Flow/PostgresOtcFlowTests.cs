using MarketSpine.Domains.Otc.Tests.Harness;
using MarketSpine.Testing;

namespace MarketSpine.Domains.Otc.Tests.Flow;

/// <summary>The same OTC flow on PostgreSQL (binary COPY loads); one database per class, emptied per test.</summary>
public sealed class PostgresOtcFlowTests(PostgresDatabase database) : OtcFlowScenarios, IClassFixture<PostgresDatabase>
{
    protected override Task<OtcHarness> CreateHarnessAsync() => OtcHarness.PostgresAsync(database.ConnectionString);

    [SpineFact(Postgres = true, SharedData = true)]
    public Task Reference_week() => Reference_week_matches_the_hand_checked_figures();

    [SpineFact(Postgres = true, SharedData = true)]
    public Task Three_real_files() => All_three_real_files_load_as_three_weeks();

    [PostgresFact]
    public Task Idempotent_rerun() => Rerunning_a_file_adds_nothing();

    [PostgresFact]
    public Task Hand_checked_week() => Hand_written_week_summaries_and_rejects();

    [PostgresFact]
    public Task Lineage() => Every_derived_row_carries_lineage();

    [PostgresFact]
    public Task Re_publication() => A_re_publication_is_a_second_capture_and_as_of_reads_either();

    [PostgresFact]
    public Task Failed_ingest() => A_failed_ingest_leaves_nothing_behind();

    [PostgresFact]
    public Task Quality_gate() => A_failed_quality_gate_fails_the_run_and_stores_nothing();

    [PostgresFact]
    public Task Stage_by_stage() => Stage_by_stage_gives_what_run_week_gives();

    [PostgresFact]
    public Task Conflict_and_replace() => A_different_file_for_the_same_publication_conflicts_unless_replaced();

    [PostgresFact]
    public Task Bad_parameters() => Bad_parameters_are_refused_before_anything_is_stored();

    [PostgresFact]
    public Task Unsorted_file() => An_unsorted_file_gives_what_the_sorted_one_gives();
}
