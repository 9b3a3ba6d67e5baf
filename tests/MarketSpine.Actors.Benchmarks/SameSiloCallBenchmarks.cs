using BenchmarkDotNet.Attributes;

namespace MarketSpine.Actors.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of the same path: time per call for a batch of calls spread over
/// 10,000 grains, all in flight at once, from one caller.
/// </summary>
[MemoryDiagnoser]
public class SameSiloCallBenchmarks
{
    private const int Batch = 10_000;
    private BenchSilo? _silo;
    private Task<int>[] _pending = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _silo = await BenchSilo.StartAsync(10_000);
        _pending = new Task<int>[Batch];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task CallsAcrossTenThousandGrains()
    {
        var grains = _silo!.Grains;
        for (var i = 0; i < Batch; i++)
        {
            _pending[i] = grains[i].Add(1);
        }

        await Task.WhenAll(_pending);
    }
}
