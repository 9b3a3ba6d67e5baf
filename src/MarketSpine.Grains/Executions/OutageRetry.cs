using System.Data.Common;
using System.Net.Sockets;

namespace MarketSpine.Grains.Executions;

/// <summary>
/// Tries a write of an execution again while the database cannot be reached for a moment: a restart
/// or a failover drops every pooled connection, and for a second or so nothing connects. Without
/// this, the completion of an attempt that ran to its end would be lost to the outage and the attempt
/// found orphaned later. Waits grow from 50 ms to 1 s; past the limit the last failure is thrown.
/// </summary>
internal static class OutageRetry
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(1);

    /// <summary>Whether <paramref name="exception"/> says the database was unreachable, rather than that the write was refused or wrong.</summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        // Npgsql marks lost connections and refused connects transient; SQLSTATE classes 08 (connection)
        // and 57 (operator intervention: 57P01 admin_shutdown, 57P03 cannot_connect_now) are a restart.
        DbException db => db.IsTransient || db.SqlState is { Length: 5 } state && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57", StringComparison.Ordinal)),
        IOException or SocketException or TimeoutException => true,
        _ => exception.InnerException is { } inner && IsOutage(inner),
    };

    /// <summary>Runs <paramref name="operation"/>, again after each failure <paramref name="retryable"/> accepts, until <paramref name="limit"/> has passed.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> operation, Func<Exception, bool> retryable, TimeSpan limit, TimeProvider time,
        CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var wait = FirstWait;
        while (true)
        {
            try
            {
                return await operation();
            }
            catch (Exception exception) when (retryable(exception) && time.GetElapsedTime(started) + wait < limit && !cancellationToken.IsCancellationRequested)
            {
                // Tried again below, after a wait.
            }

            await Task.Delay(wait, time, cancellationToken);
            wait = wait * 2 < LongestWait ? wait * 2 : LongestWait;
        }
    }

    public static Task RunAsync(Func<Task> operation, Func<Exception, bool> retryable, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            await operation();
            return true;
        }, retryable, limit, time, cancellationToken);
}
