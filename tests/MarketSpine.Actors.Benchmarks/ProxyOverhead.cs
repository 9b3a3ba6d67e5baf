using System.Diagnostics;
using System.Reflection;

namespace MarketSpine.Actors.Benchmarks;

/// <summary>
/// What <see cref="DispatchProxy"/> alone costs per call (argument array, boxing, the reflective
/// dispatch), measured with a proxy that answers at once, next to the whole runtime's cost per
/// call: the question is whether a hand-emitted proxy type would be worth its complexity.
/// </summary>
public class ProxyOverhead : DispatchProxy
{
    private static readonly Task<int> Answer = Task.FromResult(1);

    public static void Run()
    {
        var proxy = Create<IBenchGrain, ProxyOverhead>();
        const int calls = 20_000_000;
        for (var i = 0; i < 1_000_000; i++)
        {
            _ = proxy.Add(i);
        }

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            _ = proxy.Add(i);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine($"DispatchProxy alone: {elapsed.TotalNanoseconds / calls:N1} ns per call (one thread)");
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Answer;
}
