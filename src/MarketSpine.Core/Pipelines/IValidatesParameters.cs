namespace MarketSpine.Core.Pipelines;

/// <summary>
/// A pipeline whose parameters have rules beyond their types (a date that must be a Friday, two
/// parameters that go together). The dispatcher applies them with the spec's checks, before an
/// execution is recorded, so such input is refused like a missing parameter rather than run and
/// failed.
/// </summary>
public interface IValidatesParameters
{
    /// <summary>Every problem with parameters that have already passed their spec.</summary>
    static abstract IEnumerable<Errors.ValidationProblem> Validate(PipelineParameters parameters);
}
