using MarketSpine.Grains.Tests.Support;
using MarketSpine.Testing;

namespace MarketSpine.Grains.Tests.Executions;

/// <summary>The embedded tier: one silo, executions, grain state and reminders in one SQLite file.</summary>
public sealed class SqliteExecutionTests(SqliteSilo fixture) : ExecutionBehaviour(fixture.Silo), IClassFixture<SqliteSilo>
{
    [Fact]
    public Task A_submission_runs_to_completed_with_its_history_complete() => ASubmissionRunsToCompletedWithItsHistoryComplete();

    [Fact]
    public Task Plain_sql_answers_which_executions_failed() => PlainSqlAnswersWhichExecutionsFailed();

    [Fact]
    public Task An_unknown_pipeline_or_bad_parameters_are_rejected_with_nothing_stored() => AnUnknownPipelineOrBadParametersAreRejectedWithNothingStored();

    [Fact]
    public Task An_idempotency_key_returns_the_execution_it_named() => AnIdempotencyKeyReturnsTheExecutionItNamed();

    [Fact]
    public Task Concurrent_submissions_with_one_idempotency_key_make_one_execution() => ConcurrentSubmissionsWithOneIdempotencyKeyMakeOneExecution();

    [Fact]
    public Task A_logical_key_runs_one_execution_at_a_time_first_come_first_served() => ALogicalKeyRunsOneExecutionAtATimeFirstComeFirstServed();

    [Fact]
    public Task The_skip_policy_ends_a_submission_cancelled_when_its_key_is_held() => TheSkipPolicyEndsASubmissionCancelledWhenItsKeyIsHeld();

    [Fact]
    public Task The_reject_policy_refuses_a_submission_when_its_key_is_held_storing_nothing() => TheRejectPolicyRefusesASubmissionWhenItsKeyIsHeldStoringNothing();

    [Fact]
    public Task A_failed_attempt_is_retried_after_a_backoff_until_it_succeeds() => AFailedAttemptIsRetriedAfterABackoffUntilItSucceeds();

    [Fact]
    public Task An_exhausted_execution_is_dead_lettered_then_retried_as_a_linked_execution_or_discarded() => AnExhaustedExecutionIsDeadLetteredThenRetriedAsALinkedExecutionOrDiscarded();

    [Fact]
    public Task Cancelling_a_queued_execution_takes_it_out_of_its_keys_queue() => CancellingAQueuedExecutionTakesItOutOfItsKeysQueue();

    [Fact]
    public Task Cancelling_a_running_execution_cancels_its_pipelines_token() => CancellingARunningExecutionCancelsItsPipelinesToken();

    [Fact]
    public Task A_pipeline_ignoring_cancellation_ends_cancelled_after_the_stop_grace() => APipelineIgnoringCancellationEndsCancelledAfterTheStopGrace();

    [Fact]
    public Task An_attempt_outliving_its_timeout_fails_with_timeout() => AnAttemptOutlivingItsTimeoutFailsWithTimeout();

    [Fact]
    public Task Progress_and_log_lines_are_stored_with_the_oldest_lines_rotated_out() => ProgressAndLogLinesAreStoredWithTheOldestLinesRotatedOut();

    [Fact]
    public Task Waiting_returns_the_execution_as_it_is_when_the_timeout_passes() => WaitingReturnsTheExecutionAsItIsWhenTheTimeoutPasses();

    [Fact]
    public Task Cancelling_an_execution_waiting_to_be_retried_ends_it() => CancellingAnExecutionWaitingToBeRetriedEndsIt();

    [Fact]
    public Task Every_end_releases_the_logical_key() => EveryEndReleasesTheLogicalKey();

    [Fact]
    public Task A_stale_write_is_refused() => AStaleWriteIsRefused();

    [Fact]
    public Task A_grain_whose_row_was_written_behind_its_back_recovers_as_orphaned() => AGrainWhoseRowWasWrittenBehindItsBackRecoversAsOrphaned();

    [Fact]
    public Task An_execution_unfinished_a_watchdog_period_on_gets_its_watchdog_from_the_sweeper_and_loses_it_at_the_end() =>
        AnExecutionUnfinishedAWatchdogPeriodOnGetsItsWatchdogFromTheSweeperAndLosesItAtTheEnd();

    [Fact]
    public Task Batched_writes_apply_each_execution_by_its_own_version() => BatchedWritesApplyEachExecutionByItsOwnVersion();

    [Fact]
    public Task Concurrent_reads_share_statements_and_each_gets_its_own_execution() => ConcurrentReadsShareStatementsAndEachGetsItsOwnExecution();
}

/// <summary>The team tier's store: one silo on PostgreSQL (the cluster tests add silos).</summary>
public sealed class PostgresExecutionTests(PostgresSilo fixture) : ExecutionBehaviour(fixture.Silo), IClassFixture<PostgresSilo>
{
    [PostgresFact]
    public Task A_submission_runs_to_completed_with_its_history_complete() => ASubmissionRunsToCompletedWithItsHistoryComplete();

    [PostgresFact]
    public Task Plain_sql_answers_which_executions_failed() => PlainSqlAnswersWhichExecutionsFailed();

    [PostgresFact]
    public Task An_unknown_pipeline_or_bad_parameters_are_rejected_with_nothing_stored() => AnUnknownPipelineOrBadParametersAreRejectedWithNothingStored();

    [PostgresFact]
    public Task An_idempotency_key_returns_the_execution_it_named() => AnIdempotencyKeyReturnsTheExecutionItNamed();

    [PostgresFact]
    public Task Concurrent_submissions_with_one_idempotency_key_make_one_execution() => ConcurrentSubmissionsWithOneIdempotencyKeyMakeOneExecution();

    [PostgresFact]
    public Task A_logical_key_runs_one_execution_at_a_time_first_come_first_served() => ALogicalKeyRunsOneExecutionAtATimeFirstComeFirstServed();

    [PostgresFact]
    public Task The_skip_policy_ends_a_submission_cancelled_when_its_key_is_held() => TheSkipPolicyEndsASubmissionCancelledWhenItsKeyIsHeld();

    [PostgresFact]
    public Task The_reject_policy_refuses_a_submission_when_its_key_is_held_storing_nothing() => TheRejectPolicyRefusesASubmissionWhenItsKeyIsHeldStoringNothing();

    [PostgresFact]
    public Task A_failed_attempt_is_retried_after_a_backoff_until_it_succeeds() => AFailedAttemptIsRetriedAfterABackoffUntilItSucceeds();

    [PostgresFact]
    public Task An_exhausted_execution_is_dead_lettered_then_retried_as_a_linked_execution_or_discarded() => AnExhaustedExecutionIsDeadLetteredThenRetriedAsALinkedExecutionOrDiscarded();

    [PostgresFact]
    public Task Cancelling_a_queued_execution_takes_it_out_of_its_keys_queue() => CancellingAQueuedExecutionTakesItOutOfItsKeysQueue();

    [PostgresFact]
    public Task Cancelling_a_running_execution_cancels_its_pipelines_token() => CancellingARunningExecutionCancelsItsPipelinesToken();

    [PostgresFact]
    public Task A_pipeline_ignoring_cancellation_ends_cancelled_after_the_stop_grace() => APipelineIgnoringCancellationEndsCancelledAfterTheStopGrace();

    [PostgresFact]
    public Task An_attempt_outliving_its_timeout_fails_with_timeout() => AnAttemptOutlivingItsTimeoutFailsWithTimeout();

    [PostgresFact]
    public Task Progress_and_log_lines_are_stored_with_the_oldest_lines_rotated_out() => ProgressAndLogLinesAreStoredWithTheOldestLinesRotatedOut();

    [PostgresFact]
    public Task Waiting_returns_the_execution_as_it_is_when_the_timeout_passes() => WaitingReturnsTheExecutionAsItIsWhenTheTimeoutPasses();

    [PostgresFact]
    public Task Cancelling_an_execution_waiting_to_be_retried_ends_it() => CancellingAnExecutionWaitingToBeRetriedEndsIt();

    [PostgresFact]
    public Task Every_end_releases_the_logical_key() => EveryEndReleasesTheLogicalKey();

    [PostgresFact]
    public Task A_stale_write_is_refused() => AStaleWriteIsRefused();

    [PostgresFact]
    public Task A_grain_whose_row_was_written_behind_its_back_recovers_as_orphaned() => AGrainWhoseRowWasWrittenBehindItsBackRecoversAsOrphaned();

    [PostgresFact]
    public Task An_execution_unfinished_a_watchdog_period_on_gets_its_watchdog_from_the_sweeper_and_loses_it_at_the_end() =>
        AnExecutionUnfinishedAWatchdogPeriodOnGetsItsWatchdogFromTheSweeperAndLosesItAtTheEnd();

    [PostgresFact]
    public Task Batched_writes_apply_each_execution_by_its_own_version() => BatchedWritesApplyEachExecutionByItsOwnVersion();

    [PostgresFact]
    public Task Concurrent_reads_share_statements_and_each_gets_its_own_execution() => ConcurrentReadsShareStatementsAndEachGetsItsOwnExecution();
}
