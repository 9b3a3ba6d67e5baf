using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// The one sweeper of a cluster (or of a single node's database): every watchdog period it gives a
/// watchdog to each execution unfinished a period after its last change without one (see
/// <see cref="ExecutionSweeperGrain"/>).
/// </summary>
public interface IExecutionSweeperGrain : IGrainWithStringKey, IRemindable
{
    /// <summary>
    /// Registers the sweeper's reminder unless it is registered already. Interleaves with a sweep under
    /// way: a process's first submission waits for this, not for the sweep.
    /// </summary>
    [AlwaysInterleave]
    Task EnsureAsync();
}
