using MarketSpine.Actors.Grains;
using MarketSpine.Actors.State;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.TestGrains;

public sealed class LedgerState
{
    public int Count { get; set; }

    public long Sum { get; set; }
}

/// <summary>A stateful grain for cluster tests: every append is one state write, and every activation is registered.</summary>
public interface ILedgerGrain : IGrainWithStringKey
{
    /// <summary>Adds an entry and writes the state; returns the number of entries, this one included.</summary>
    Task<int> Append(int entry);

    Task<LedgerState> Read();

    /// <summary>The silo the grain is active on.</summary>
    Task<string> Where();

    /// <summary>Deactivates the grain after this call.</summary>
    Task Deactivate();
}

[GrainType("ledger")]
public sealed class LedgerGrain([PersistentState("ledger")] IPersistentState<LedgerState> ledger, ActivationRegistry registry, SiloTag silo)
    : Grain, ILedgerGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        registry.Enter(GrainKey, silo.Name);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        registry.Leave(GrainKey, silo.Name);
        return Task.CompletedTask;
    }

    public async Task<int> Append(int entry)
    {
        ledger.State.Count++;
        ledger.State.Sum += entry;
        await ledger.WriteStateAsync();
        return ledger.State.Count;
    }

    public Task<LedgerState> Read() => Task.FromResult(ledger.State);

    public Task<string> Where() => Task.FromResult(silo.Name);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
