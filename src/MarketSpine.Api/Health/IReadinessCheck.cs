namespace MarketSpine.Api.Health;

/// <summary>One thing <c>GET /health/ready</c> checks: the silo or the cluster, the database.</summary>
public interface IReadinessCheck
{
    string Name { get; }

    /// <summary>Whether it is ready, and a word on why.</summary>
    Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken);
}
