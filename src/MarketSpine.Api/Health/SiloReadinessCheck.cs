using MarketSpine.Actors.Hosting;

namespace MarketSpine.Api.Health;

/// <summary>The co-hosted silo has started and not stopped: it runs executions and answers grain calls.</summary>
public sealed class SiloReadinessCheck(Silo silo) : IReadinessCheck
{
    public string Name => "silo";

    public Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(
        silo.IsActive
            ? new ReadinessResult(Name, true, $"active ({silo.ActivationCount} activations{(silo.Members.Count > 0 ? $", {silo.Members.Count} silos alive" : "")})")
            : new ReadinessResult(Name, false, silo.Stopped.IsCompleted ? "stopped" : "starting"));
}
