using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Tests.TestPipelines;

/// <summary>Has a rule across its parameters: the range must not end before it starts.</summary>
[Pipeline(Name, Description = "Covers a date range.")]
[Parameter("start", ParameterType.Date, Required = true)]
[Parameter("end", ParameterType.Date, Required = true)]
public sealed class DateRangePipeline : Pipeline, IValidatesParameters
{
    public const string Name = "test.gamma.date_range";

    public static IEnumerable<ValidationProblem> Validate(PipelineParameters parameters)
    {
        if (parameters.GetDate("end") < parameters.GetDate("start"))
        {
            yield return new ValidationProblem("end", "RANGE_REVERSED", "end is before start.");
        }
    }

    public override Task<PipelineOutcome> RunAsync(PipelineContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new PipelineOutcome());
}
