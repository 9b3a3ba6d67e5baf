using MarketSpine.Core.Pipelines;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Core.Registry;

/// <summary>A registered pipeline: its name, what it does, its parameters, and how to build it.</summary>
public sealed record PipelineDescriptor(string Name, string Description, PipelineSpec Spec, Type PipelineType)
{
    /// <summary>
    /// Checks raw values against the spec and, when the pipeline implements
    /// <see cref="IValidatesParameters"/>, its own rules; throws one <see cref="Errors.ValidationError"/> listing every problem.
    /// </summary>
    public PipelineParameters Validate(IReadOnlyDictionary<string, string?> raw)
    {
        var parameters = Spec.Validate(raw);
        var problems = Rules?.Invoke(parameters).ToList() ?? [];
        return problems.Count == 0 ? parameters : throw Errors.ValidationError.FromProblems(problems);
    }

    /// <summary>The pipeline's own parameter rules (<see cref="IValidatesParameters.Validate"/>), or null.</summary>
    public Func<PipelineParameters, IEnumerable<Errors.ValidationProblem>>? Rules { get; init; }

    /// <summary>The pipeline's retry policy (<see cref="RetryAttribute"/>), or null for the runtime's default.</summary>
    public Execution.RetryPolicy? Retry { get; init; }

    /// <summary>The domain is the name's first segments: <c>finra.otc_transparency</c> for <c>finra.otc_transparency.ingest_week</c>.</summary>
    public string Domain => Name.Contains('.', StringComparison.Ordinal) ? Name[..Name.LastIndexOf('.')] : Name;

    /// <summary>Builds an instance, injecting its constructor's dependencies from <paramref name="services"/>.</summary>
    public Pipeline Create(IServiceProvider services) =>
        (Pipeline)ActivatorUtilities.CreateInstance(services, PipelineType);
}
