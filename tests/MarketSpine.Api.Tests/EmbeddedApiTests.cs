using MarketSpine.Api.Tests.Support;

namespace MarketSpine.Api.Tests;

/// <summary>The embedded default: <c>spine-silo embedded</c> on SQLite, the API co-hosted.</summary>
public sealed class EmbeddedApiTests(EmbeddedServer fixture) : ApiBehaviour(fixture), IClassFixture<EmbeddedServer>
{
    [Fact]
    public Task Pipelines_are_listed_with_their_parameter_spec() => PipelinesAreListedWithTheirParameterSpec();

    [Fact]
    public Task A_submission_is_accepted_then_polled_to_its_end() => ASubmissionIsAcceptedThenPolledToItsEnd();

    [Fact]
    public Task Prefer_wait_answers_with_the_result_or_accepts_when_it_runs_longer() => PreferWaitAnswersWithTheResultOrAcceptsWhenItRunsLonger();

    [Fact]
    public Task Bad_submissions_are_refused_with_nothing_stored() => BadSubmissionsAreRefusedWithNothingStored();

    [Fact]
    public Task An_idempotency_key_returns_the_first_execution() => AnIdempotencyKeyReturnsTheFirstExecution();

    [Fact]
    public Task A_logical_key_is_visible_and_the_reject_policy_conflicts() => ALogicalKeyIsVisibleAndTheRejectPolicyConflicts();

    [Fact]
    public Task Cancelling_ends_a_running_execution_and_an_ended_one_conflicts() => CancellingEndsARunningExecutionAndAnEndedOneConflicts();

    [Fact]
    public Task Logs_stream_live_to_the_end_and_resume_after_the_last_event_id() => LogsStreamLiveToTheEndAndResumeAfterTheLastEventId();

    [Fact]
    public Task Events_are_paged_as_json_and_streamed() => EventsArePagedAsJsonAndStreamed();

    [Fact]
    public Task Streams_beyond_the_limit_are_refused() => StreamsBeyondTheLimitAreRefused();

    [Fact]
    public Task Dead_letters_are_listed_retried_and_discarded() => DeadLettersAreListedRetriedAndDiscarded();

    [Fact]
    public Task Cursor_paging_walks_a_thousand_executions_once() => CursorPagingWalksAThousandExecutionsOnce();

    [Fact]
    public Task Unknown_routes_methods_and_health_answer_as_documented() => UnknownRoutesMethodsAndHealthAnswerAsDocumented();

    [Fact]
    public Task Queries_refuse_bad_arguments_and_answer_empty_when_nothing_is_held() => QueriesRefuseBadArgumentsAndAnswerEmptyWhenNothingIsHeld();
}
