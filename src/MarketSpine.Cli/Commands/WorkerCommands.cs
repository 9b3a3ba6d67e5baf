using MarketSpine.Grains.Embedded;
using System.CommandLine;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Pipelines;
using MarketSpine.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace MarketSpine.Cli.Commands;

/// <summary><c>spine worker start</c>: serves the database in the foreground until Ctrl-C.</summary>
public static class WorkerCommands
{
    public static Command Build(CliContext cli)
    {
        var start = new Command("start",
            "Run the embedded silo in the foreground until Ctrl-C: queued executions ('spine run --async', 'spine dlq retry'), retries and reminders run here. "
            + "--verbose logs each execution to the error stream.");
        start.SetAction((result, cancellationToken) => cli.RunWithSiloAsync(GlobalOptions.From(result), SiloRole.Worker, "spine worker start", async session =>
        {
            var silo = session.Silo!;
            var queued = await session.Dispatcher.ListAsync(new ExecutionQuery(ExecutionStatus.Queued, Limit: 10_000), CancellationToken.None);
            cli.Console.MarkupLine($"[green]●[/] worker serving {Markup.Escape(session.DatabasePath)} (silo {Markup.Escape(silo.Address.ToString())}, "
                                   + $"{queued.Count} queued); Ctrl-C stops it");
            var stopped = silo.Stopped;
            try
            {
                await Task.WhenAny(Task.Delay(Timeout.Infinite, cancellationToken), stopped);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: the normal way to stop a worker.
            }

            // A clean stop stops each running pipeline (within the stop grace) and puts its execution back in
            // the queue, the attempt not counted: the next worker runs it.
            var running = session.Services.GetRequiredService<LaneWorkerPools>().Load().Values.Sum(load => load.Running);
            var requested = !stopped.IsCompleted;
            await silo.StopAsync(CancellationToken.None);
            cli.Console.MarkupLine(running == 0
                ? "[yellow]■[/] worker stopped"
                : $"[yellow]■[/] worker stopped; {running} running execution(s) put back in the queue for the next worker");
            return requested ? ExitCodes.Ok : ExitCodes.Failed;
        }, cancellationToken, localOnly: "spine worker start"));
        return new Command("worker", "The process that runs queued executions, retries and reminders of the database.") { start };
    }
}
