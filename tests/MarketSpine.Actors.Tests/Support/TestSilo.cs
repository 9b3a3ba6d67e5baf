using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// A started silo on fake time with every test grain registered, memory storage as "Default", and a
/// <see cref="Probe"/> shared with the grains. Disposing opens every gate, then stops the silo.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    private TestSilo(ServiceProvider provider, FakeTimeProvider time, Probe probe)
    {
        _provider = provider;
        Time = time;
        Probe = probe;
        Silo = provider.GetRequiredService<Silo>();
    }

    public Silo Silo { get; }

    public IGrainFactory Grains => Silo.GrainFactory;

    public IClusterClient Client => _provider.GetRequiredService<IClusterClient>();

    public FakeTimeProvider Time { get; }

    public Probe Probe { get; }

    public static async Task<TestSilo> StartAsync(Action<SiloBuilder>? configure = null, FakeTimeProvider? time = null, Probe? probe = null, string name = "test")
    {
        time ??= new FakeTimeProvider(Start);
        probe ??= new Probe();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(probe);
        services.AddMarketSpineActors(builder =>
        {
            builder.AddGrains(typeof(TestSilo).Assembly).UseMemoryStorage().Configure(options => options.SiloName = name);
            configure?.Invoke(builder);
        });
        var provider = services.BuildServiceProvider();
        var silo = new TestSilo(provider, time, probe);
        await silo.Silo.StartAsync(CancellationToken.None);
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        Probe.OpenAll();
        await Silo.StopAsync(CancellationToken.None).WaitAsync(Probe.WaitLimit);
        await _provider.DisposeAsync();
    }
}
