namespace MarketSpine.Grains.Embedded;

/// <summary>
/// What the embedded silo of one command does. Several <c>spine</c> processes may open one database
/// at once (a worker in one terminal, a run or a query in another); at most one of them serves it,
/// that is runs executions and their reminders, so that no execution is run, or found orphaned, by
/// a process that does not own it.
/// </summary>
public enum SiloRole
{
    /// <summary>No silo starts: the command only reads through the dispatcher.</summary>
    None,

    /// <summary>
    /// Submits, cancels and asks grains, but runs nothing and claims no reminder: what it submits
    /// stays queued until the process that serves the database (a worker) runs it.
    /// </summary>
    Client,

    /// <summary>
    /// Serves the database for what this process submits (a synchronous run): runs it and handles its
    /// reminders, and leaves every other execution to a worker. Falls back to <see cref="Client"/> when
    /// another process serves the database.
    /// </summary>
    Runner,

    /// <summary>Serves the database: runs every queued execution, retry and reminder (<c>spine worker start</c>, <c>spine-silo embedded</c>).</summary>
    Worker,
}
