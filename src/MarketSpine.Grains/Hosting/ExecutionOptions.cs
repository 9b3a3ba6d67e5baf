using MarketSpine.Core.Execution;

namespace MarketSpine.Grains.Hosting;

/// <summary>How a silo runs executions; the defaults suit a small team's cluster.</summary>
public sealed class ExecutionOptions
{
    /// <summary>The configuration section an operator sets these in (<c>Spine__Executions__MaxBacklog</c> and the like).</summary>
    public const string SectionName = "Spine:Executions";

    /// <summary>
    /// How many executions of each lane run at once on one silo. Backfill children run on their own
    /// lane, so a backfill cannot starve interactive runs, nor a parent starve its own children.
    /// </summary>
    public Dictionary<Lane, int> LaneConcurrency { get; } = new()
    {
        [Lane.Normal] = Math.Max(2, Environment.ProcessorCount),
        [Lane.Backfill] = Math.Max(1, Environment.ProcessorCount / 2),
        [Lane.Slow] = 1,
    };

    /// <summary>
    /// The period of an execution's durable watchdog, and how long an execution may go unfinished
    /// without one. Most executions end sooner and never write one; the sweeper
    /// (<see cref="Executions.ExecutionSweeperGrain"/>), which looks once a period, gives one to every
    /// execution unfinished a period after its last change. After a silo dies, its executions are
    /// found orphaned within about the membership's death timeout plus two periods.
    /// </summary>
    public TimeSpan WatchdogPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The watchdog period of an execution queued behind another on its logical key. The key grain
    /// tells it when its turn comes; the watchdog only repairs a notice lost with a silo, so it ticks
    /// rarely: thousands of executions may wait on one key.
    /// </summary>
    public TimeSpan WaitingWatchdogPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest run timeout: a timer cannot count further (about 49 days), and no attempt should run that long.</summary>
    public static readonly TimeSpan LongestRunTimeout = TimeSpan.FromDays(30);

    /// <summary>How long one attempt may run when neither the submission nor the pipeline says otherwise.</summary>
    public TimeSpan DefaultRunTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long a pipeline has to stop after cancellation (or its timeout) before it is abandoned and the execution ends anyway.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most log lines kept per execution; older lines are dropped as new ones come.</summary>
    public int LogLinesKept { get; set; } = 10_000;

    /// <summary>How often a running pipeline's progress is written at most (a step change is written at once).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Whether this silo runs attempts. A process that only submits and looks (a CLI command next to
    /// the process that serves the database) sets it false: what it submits stays queued, and the
    /// watchdog brings it to a silo that runs it.
    /// </summary>
    public bool RunsAttempts { get; set; } = true;

    /// <summary>
    /// How long a write of an execution (its row, its watchdog, its logical key's release) is tried
    /// again while the database cannot be reached: a PostgreSQL restart or failover takes seconds. Under
    /// the call timeout (30 s), so that the grain's callers hear the outcome.
    /// </summary>
    public TimeSpan WriteRetryLimit { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The most executions that may wait to start (pending or queued) across the cluster before
    /// submissions from users (the API, the CLI, a dead letter's retry) are refused with
    /// <c>RATE_LIMITED</c> until the backlog drains; 0 admits everything. Schedules and workflow steps
    /// are always admitted: refusing them would lose a tick or strand a workflow. Without a bound, a
    /// burst of submissions is accepted far faster than it runs (58,000 in 10 s against a few hundred
    /// run per second, measured), and every later submission waits behind it.
    /// </summary>
    public int MaxBacklog { get; set; } = 10_000;

    /// <summary>How often the backlog is counted in the database; between counts, this process's own admissions are added to the last count.</summary>
    public TimeSpan BacklogCountInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The retry policy of pipelines that declare none.</summary>
    public RetryPolicy DefaultRetry { get; set; } = RetryPolicy.None;

    internal void Validate()
    {
        foreach (var lane in Enum.GetValues<Lane>())
        {
            if (!LaneConcurrency.TryGetValue(lane, out var bound) || bound < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(LaneConcurrency), $"Lane {lane} needs a concurrency of at least 1.");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WatchdogPeriod, TimeSpan.Zero, nameof(WatchdogPeriod));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WaitingWatchdogPeriod, TimeSpan.Zero, nameof(WaitingWatchdogPeriod));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DefaultRunTimeout, TimeSpan.Zero, nameof(DefaultRunTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DefaultRunTimeout, LongestRunTimeout, nameof(DefaultRunTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(StopGrace, TimeSpan.Zero, nameof(StopGrace));
        ArgumentOutOfRangeException.ThrowIfLessThan(LogLinesKept, 1, nameof(LogLinesKept));
        ArgumentOutOfRangeException.ThrowIfLessThan(WriteRetryLimit, TimeSpan.Zero, nameof(WriteRetryLimit));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBacklog, 0, nameof(MaxBacklog));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BacklogCountInterval, TimeSpan.Zero, nameof(BacklogCountInterval));
        DefaultRetry.Validate();
    }
}
