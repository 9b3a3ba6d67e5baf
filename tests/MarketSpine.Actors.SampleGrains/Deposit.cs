namespace MarketSpine.Actors.SampleGrains;

/// <summary>The answer to a deposit: the account's deposit count after it, and the silo that wrote it.</summary>
public sealed record Deposit(int Deposits, string Silo);
