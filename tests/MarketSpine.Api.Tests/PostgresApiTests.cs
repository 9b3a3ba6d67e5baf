using MarketSpine.Api.Tests.Support;
using MarketSpine.Testing;

namespace MarketSpine.Api.Tests;

/// <summary>A silo of a PostgreSQL cluster co-hosting the API.</summary>
public sealed class PostgresApiTests(PostgresServer fixture) : ApiBehaviour(fixture), IClassFixture<PostgresServer>
{
    [PostgresFact]
    public Task Pipelines_are_listed_with_their_parameter_spec() => PipelinesAreListedWithTheirParameterSpec();

    [PostgresFact]
    public Task A_submission_is_accepted_then_polled_to_its_end() => ASubmissionIsAcceptedThenPolledToItsEnd();

    [PostgresFact]
    public Task Prefer_wait_answers_with_the_result_or_accepts_when_it_runs_longer() => PreferWaitAnswersWithTheResultOrAcceptsWhenItRunsLonger();

    [PostgresFact]
    public Task Bad_submissions_are_refused_with_nothing_stored() => BadSubmissionsAreRefusedWithNothingStored();

    [PostgresFact]
    public Task An_idempotency_key_returns_the_first_execution() => AnIdempotencyKeyReturnsTheFirstExecution();

    [PostgresFact]
    public Task A_logical_key_is_visible_and_the_reject_policy_conflicts() => ALogicalKeyIsVisibleAndTheRejectPolicyConflicts();

    [PostgresFact]
    public Task Cancelling_ends_a_running_execution_and_an_ended_one_conflicts() => CancellingEndsARunningExecutionAndAnEndedOneConflicts();

    [PostgresFact]
    public Task Logs_stream_live_to_the_end_and_resume_after_the_last_event_id() => LogsStreamLiveToTheEndAndResumeAfterTheLastEventId();

    [PostgresFact]
    public Task Events_are_paged_as_json_and_streamed() => EventsArePagedAsJsonAndStreamed();

    [PostgresFact]
    public Task Streams_beyond_the_limit_are_refused() => StreamsBeyondTheLimitAreRefused();

    [PostgresFact]
    public Task Dead_letters_are_listed_retried_and_discarded() => DeadLettersAreListedRetriedAndDiscarded();

    [PostgresFact]
    public Task Cursor_paging_walks_a_thousand_executions_once() => CursorPagingWalksAThousandExecutionsOnce();

    [PostgresFact]
    public Task Unknown_routes_methods_and_health_answer_as_documented() => UnknownRoutesMethodsAndHealthAnswerAsDocumented();

    [PostgresFact]
    public Task Queries_refuse_bad_arguments_and_answer_empty_when_nothing_is_held() => QueriesRefuseBadArgumentsAndAnswerEmptyWhenNothingIsHeld();
}
