using MarketSpine.Actors.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Actors.Benchmarks;

/// <summary>A started silo with the benchmark grain, and that many grains already activated.</summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private BenchSilo(ServiceProvider provider, IBenchGrain[] grains)
    {
        _provider = provider;
        Grains = grains;
    }

    public IBenchGrain[] Grains { get; }

    public Silo Silo => _provider.GetRequiredService<Silo>();

    public static async Task<BenchSilo> StartAsync(int grains)
    {
        var services = new ServiceCollection();
        services.AddMarketSpineActors(builder => builder.AddGrain<BenchGrain>().Configure(options => options.SiloName = "bench"));
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<Silo>().StartAsync(CancellationToken.None);
        var factory = provider.GetRequiredService<IClusterClient>();
        var references = Enumerable.Range(0, grains).Select(i => factory.GetGrain<IBenchGrain>($"g{i}")).ToArray();
        await Task.WhenAll(references.Select(g => g.Ping(0).AsTask()));
        return new BenchSilo(provider, references);
    }

    public async ValueTask DisposeAsync()
    {
        await Silo.StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
    }
}
