using MarketSpine.Core.Registry;

namespace MarketSpine.Core.Contracts;

/// <summary>One pipeline with its parameter spec and retry policy, as <c>GET /v1/pipelines/{name}</c> answers.</summary>
public sealed record PipelineDetailView(string Name, string Domain, string Description, IReadOnlyList<ParameterView> Parameters, RetryView? Retry)
{
    public static PipelineDetailView From(PipelineDescriptor descriptor) => new(
        descriptor.Name, descriptor.Domain, descriptor.Description,
        [.. descriptor.Spec.Parameters.Select(ParameterView.From)],
        descriptor.Retry is { } retry ? RetryView.From(retry) : null);
}
