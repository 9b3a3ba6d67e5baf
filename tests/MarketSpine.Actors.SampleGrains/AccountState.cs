namespace MarketSpine.Actors.SampleGrains;

/// <summary>What an <see cref="IAccountGrain"/> persists.</summary>
public sealed class AccountState
{
    /// <summary>Deposits written, each one state write.</summary>
    public int Deposits { get; set; }

    public long Balance { get; set; }
}
