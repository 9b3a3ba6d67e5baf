using MarketSpine.Actors.Hosting;
using MarketSpine.Core.Execution;
using MarketSpine.Grains.Dispatch;
using MarketSpine.Grains.Executions;
using MarketSpine.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Grains.Hosting;

public static class ExecutionServiceCollectionExtensions
{
    /// <summary>
    /// Registers what a silo needs to run executions (the lane pools, the attempt runner) and the
    /// command layer (<see cref="ExecutionDispatcher"/>, also as <see cref="IExecutionSubmitter"/> for
    /// pipelines that submit others). The host registers the <see cref="Core.Registry.PipelineRegistry"/>,
    /// an <see cref="IExecutionStore"/>, a <see cref="TimeProvider"/> and a silo with
    /// <see cref="AddExecutionGrains"/>.
    /// </summary>
    public static IServiceCollection AddMarketSpineExecutions(this IServiceCollection services, Action<ExecutionOptions>? configure = null)
    {
        var options = new ExecutionOptions();
        configure?.Invoke(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<LaneWorkerPools>();
        services.AddSingleton<ExecutionWrites>();
        services.AddSingleton<ExecutionEndings>();
        services.AddSingleton<AttemptRunner>();
        services.AddSingleton<ExecutionBacklog>();
        services.AddSingleton<ExecutionReads>();
        services.AddSingleton<ExecutionDispatcher>();
        services.AddSingleton<IExecutionSubmitter>(provider => provider.GetRequiredService<ExecutionDispatcher>());
        services.AddSingleton<IExecutionCommands>(provider => provider.GetRequiredService<ExecutionDispatcher>());
        return services;
    }

    /// <summary>Hosts the execution and logical-key grains in this silo.</summary>
    public static SiloBuilder AddExecutionGrains(this SiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.AddGrains(typeof(ExecutionGrain).Assembly);
    }
}
