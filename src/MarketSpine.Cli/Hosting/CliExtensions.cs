using System.Reflection;
using MarketSpine.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Cli.Hosting;

/// <summary>
/// What an embedding host (the tests) adds to the CLI's services: more pipeline assemblies besides
/// the domains', the services their pipelines need, and execution options (shorter periods).
/// </summary>
public sealed class CliExtensions
{
    public IReadOnlyList<Assembly> PipelineAssemblies { get; init; } = [];

    public Action<IServiceCollection>? Services { get; init; }

    public Action<ExecutionOptions>? Executions { get; init; }
}
