using MarketSpine.Actors.Hosting;

using MarketSpine.Api.Health;

namespace MarketSpine.Api.FrontEnd;

/// <summary>A front end is ready when the cluster answers: at least one silo reports its statistics within two seconds.</summary>
public sealed class ClusterReadinessCheck(IClusterClient client) : IReadinessCheck
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    public string Name => "cluster";

    public async Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            var statistics = await client.GetClusterStatisticsAsync(timeout.Token);
            return statistics.Silos.Count > 0
                ? new ReadinessResult(Name, true, $"{statistics.Silos.Count} silos answer")
                : new ReadinessResult(Name, false, "no silo is alive");
        }
        catch (Exception exception) when (exception is OperationCanceledException or Actors.Errors.GrainRuntimeException or TimeoutException)
        {
            return new ReadinessResult(Name, false, exception is OperationCanceledException ? $"no answer within {Limit.TotalSeconds:F0} s" : exception.Message);
        }
    }
}
