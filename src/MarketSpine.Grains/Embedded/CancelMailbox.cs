using System.Text.Json;
using MarketSpine.Core.Errors;
using MarketSpine.Grains.Dispatch;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.Embedded;

/// <summary>
/// How a <c>spine</c> process asks the process that serves a database (a worker, or a synchronous run)
/// to cancel an execution: only that process holds the running attempt, so only its grain can stop the
/// pipeline. A request is a file in <c>{database}.requests/</c>; the serving process polls the folder,
/// takes the file (renames it <c>.taken</c>), cancels through its dispatcher, and deletes it (leaving
/// <c>.error</c> beside it when the cancel was refused). The embedded tier has no network listener; this folder is its one channel.
/// </summary>
public sealed partial class CancelMailbox(string databasePath)
{
    private const string Taken = ".taken";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private string Folder { get; } = databasePath + ".requests";

    /// <summary>
    /// Asks the serving process to cancel <paramref name="executionId"/>, and waits (at most <paramref name="limit"/>)
    /// until it has. Returns false when the process took the request but has not finished it in time (its
    /// grain waits to record the cancellation, say); throws when no process took it, or the cancel was
    /// refused (the execution had ended), as a <see cref="SpineError"/>.
    /// </summary>
    public async Task<bool> PostCancelAsync(string executionId, string reason, TimeSpan limit, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"cancel-{Guid.NewGuid():N}.json");
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(new CancelRequest(executionId, reason)), cancellationToken);
        File.Move(temporary, path);

        var deadline = DateTimeOffset.UtcNow + limit;
        while (File.Exists(path))
        {
            if (DateTimeOffset.UtcNow >= deadline)
            {
                TryDelete(path);
                throw new InvalidStateError(ErrorCodes.Timeout,
                    $"The process serving the database ({SiloLock.Holder(databasePath).Description}) did not take the cancel request within {limit.TotalSeconds:0} s.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        while (File.Exists(path + Taken))
        {
            if (DateTimeOffset.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        var error = path + ".error";
        if (File.Exists(error))
        {
            var refusal = JsonSerializer.Deserialize<CancelRefusal>(await File.ReadAllTextAsync(error, cancellationToken))!;
            TryDelete(error);
            throw refusal.Code switch
            {
                ErrorCodes.ExecutionNotFound => new NotFoundError(refusal.Code, refusal.Message),
                _ => new InvalidStateError(refusal.Code, refusal.Message),
            };
        }

        return true;
    }

    /// <summary>Takes cancel requests until <paramref name="stopping"/>; run by the process that serves the database.</summary>
    public async Task ServeAsync(ExecutionDispatcher dispatcher, ILogger logger, CancellationToken stopping)
    {
        Directory.CreateDirectory(Folder);
        var handling = new List<Task>();
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                handling.RemoveAll(task => task.IsCompleted);
                foreach (var path in Directory.EnumerateFiles(Folder, "cancel-*.json").Order(StringComparer.Ordinal).ToList())
                {
                    // Taken by renaming, so that a request is handled once; each on its own, as a cancel may
                    // wait for the store (one writer) and must not hold up the next.
                    if (TryMove(path, path + Taken))
                    {
                        handling.Add(Task.Run(() => HandleAsync(path, dispatcher, logger), CancellationToken.None));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The silo stops; requests left are refused by their senders' timeouts.
        }

        try
        {
            await Task.WhenAll(handling).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // A cancel still waits for the store as the silo stops; it fails on its own.
        }
    }

    private static async Task HandleAsync(string path, ExecutionDispatcher dispatcher, ILogger logger)
    {
        var taken = path + Taken;
        try
        {
            var request = JsonSerializer.Deserialize<CancelRequest>(await File.ReadAllTextAsync(taken));
            if (request is not null)
            {
                await dispatcher.CancelAsync(request.ExecutionId, request.Reason, CancellationToken.None);
                LogCancelled(logger, request.ExecutionId, request.Reason);
            }
        }
        catch (SpineError error)
        {
            await TryWriteAsync(path + ".error", JsonSerializer.Serialize(new CancelRefusal(error.Code, error.Message)));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            await TryWriteAsync(path + ".error", JsonSerializer.Serialize(new CancelRefusal(ErrorCodes.Internal, exception.Message)));
        }

        TryDelete(taken);
    }

    private static bool TryMove(string from, string to)
    {
        try
        {
            File.Move(from, to);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task TryWriteAsync(string path, string content)
    {
        try
        {
            await File.WriteAllTextAsync(path, content);
        }
        catch (IOException)
        {
            // The sender gave up and its folder went with it.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Gone already, or taken by the other side.
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Execution {ExecutionId} cancelled at the request of another spine process: {Reason}")]
    private static partial void LogCancelled(ILogger logger, string executionId, string reason);

    private sealed record CancelRequest(string ExecutionId, string Reason);

    private sealed record CancelRefusal(string Code, string Message);
}
