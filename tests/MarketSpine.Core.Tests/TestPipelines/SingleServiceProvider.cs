namespace MarketSpine.Core.Tests.TestPipelines;

/// <summary>The few services the test pipelines take, without a DI container.</summary>
public sealed class SingleServiceProvider(params object[] services) : IServiceProvider
{
    public object? GetService(Type serviceType) => services.FirstOrDefault(serviceType.IsInstanceOfType);
}
