using MarketSpine.Core.Data;

namespace MarketSpine.Api.Health;

/// <summary>The database answers a trivial query within two seconds.</summary>
public sealed class DatabaseReadinessCheck(ISpineDatabase database) : IReadinessCheck
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    public string Name => "database";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            await using var connection = await database.OpenConnectionAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            return new ReadinessResult(Name, true, "answers");
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or OperationCanceledException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return new ReadinessResult(Name, false, exception is OperationCanceledException ? $"no answer within {Limit.TotalSeconds:F0} s" : exception.Message);
        }
    }
}
