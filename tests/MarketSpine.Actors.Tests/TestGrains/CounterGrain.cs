using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.TestGrains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    ValueTask<int> Add(int amount);

    Task Reset();

    ValueTask Touch();

    Task<string> WhoAmI();

    Task Fail(string message);

    Task<int> ActivationNumber();

    Task Deactivate();
}

/// <summary>The plain grain: an in-memory counter that reports its lifecycle to the probe.</summary>
public sealed class CounterGrain(Probe probe) : Grain, ICounterGrain
{
    private static int s_activations;
    private int _value;
    private int _activationNumber;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activationNumber = Interlocked.Increment(ref s_activations);
        probe.Record($"activate:{GrainKey}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{GrainKey}:{reason}");
        return Task.CompletedTask;
    }

    public Task<int> Increment() => Task.FromResult(++_value);

    public ValueTask<int> Add(int amount) => ValueTask.FromResult(_value += amount);

    public Task Reset()
    {
        _value = 0;
        return Task.CompletedTask;
    }

    public ValueTask Touch() => ValueTask.CompletedTask;

    public Task<string> WhoAmI() => Task.FromResult($"{GrainId.Type}/{GrainKey}");

    public Task Fail(string message) => throw new InvalidOperationException(message);

    public Task<int> ActivationNumber() => Task.FromResult(_activationNumber);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
