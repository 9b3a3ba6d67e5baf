using MarketSpine.Actors.Grains;
using MarketSpine.Actors.State;

namespace MarketSpine.Actors.SampleGrains;

[GrainType("sample.account")]
public sealed class AccountGrain([PersistentState("account")] IPersistentState<AccountState> account) : Grain, IAccountGrain
{
    public async Task<Deposit> DepositAsync(int amount)
    {
        account.State.Deposits++;
        account.State.Balance += amount;
        await account.WriteStateAsync();
        return new Deposit(account.State.Deposits, RuntimeIdentity);
    }

    public Task<AccountState> ReadAsync() => Task.FromResult(account.State);

    public Task<string> WhereAsync() => Task.FromResult(RuntimeIdentity);
}
