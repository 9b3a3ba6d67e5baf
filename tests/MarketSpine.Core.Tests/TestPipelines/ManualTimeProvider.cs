namespace MarketSpine.Core.Tests.TestPipelines;

/// <summary>A clock that moves only when told, so timings in assertions are exact.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
