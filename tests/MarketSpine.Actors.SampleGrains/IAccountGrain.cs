using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.SampleGrains;

/// <summary>A stateful grain: every deposit is one state write, so a test can account for every write.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="amount"/> and writes the state before answering.</summary>
    Task<Deposit> DepositAsync(int amount);

    Task<AccountState> ReadAsync();

    /// <summary>The silo the account is active on (<c>name@generation</c>).</summary>
    Task<string> WhereAsync();
}
