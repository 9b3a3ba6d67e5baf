using MarketSpine.Grains.Embedded;
using System.Collections.Concurrent;
using MarketSpine.Actors.Hosting;
using MarketSpine.Core.Execution;

namespace MarketSpine.Cli.Commands;

/// <summary>
/// What a command body that needs the runtime gets: the services, the dispatcher, and how this process
/// stands towards the database (whether it serves it, or which process does).
/// </summary>
public sealed class SiloSession(IServiceProvider services, SiloRole role, string? servedBy,
    ConcurrentDictionary<string, byte> owned, CancelMailbox? mailbox, string databasePath)
{
    public IServiceProvider Services { get; } = services;

    /// <summary>The command layer: the dispatcher of this process, or a server's over its API (<see cref="Remote"/>).</summary>
    public IExecutionCommands Dispatcher => (IExecutionCommands)Services.GetService(typeof(IExecutionCommands))!;

    /// <summary>The server the command runs against (<c>--server</c>), or null on the local database.</summary>
    public Uri? Remote { get; init; }

    /// <summary>The role the silo took: a <see cref="SiloRole.Runner"/> becomes a <see cref="SiloRole.Client"/> when another process serves the database.</summary>
    public SiloRole Role { get; } = role;

    /// <summary>Whether this process runs executions (its own, or all of them).</summary>
    public bool Serving => Role is SiloRole.Runner or SiloRole.Worker;

    /// <summary>The process that serves the database, as it described itself, when it is another one; null otherwise.</summary>
    public string? ServedBy { get; } = servedBy;

    /// <summary>Where cancellations go for the process that serves the local database; null against a server.</summary>
    public CancelMailbox? Mailbox { get; } = mailbox;

    /// <summary>The local database, or the server's URL in <c>--server</c> mode.</summary>
    public string DatabasePath { get; } = databasePath;

    /// <summary>The silo, when one started.</summary>
    public Silo? Silo => Role == SiloRole.None ? null : Services.GetService(typeof(Silo)) as Silo;

    /// <summary>Makes this process handle the reminders of <paramref name="executionId"/> (retries, watchdog): a runner's own submissions.</summary>
    public void Own(string executionId) => owned.TryAdd(executionId, 0);
}
