using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Tests.TestGrains;

/// <summary>An exception a caller's process can find but not rebuild: it has no constructor taking a message.</summary>
public sealed class QuotaExceededException(int limit) : Exception($"The quota of {limit} is used up.");

public interface ITroubleGrain : IGrainWithStringKey
{
    Task Touch();

    Task ThrowArgument(string message);

    Task ThrowQuota(int limit);
}

public sealed class TroubleGrain : Grain, ITroubleGrain
{
    public Task Touch() => Task.CompletedTask;

    public Task ThrowArgument(string message) => throw new ArgumentOutOfRangeException(nameof(message), message);

    public Task ThrowQuota(int limit) => throw new QuotaExceededException(limit);
}
