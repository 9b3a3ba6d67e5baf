using MarketSpine.Core.Quality;

namespace MarketSpine.Core.Errors;

/// <summary>A quality gate failed: the data is loaded as far as lineage goes but must not be trusted.</summary>
public sealed class QualityGateError(IReadOnlyList<QualityResult> failed)
    : SpineError(
        ErrorCodes.QualityGateFailed,
        "Quality gate failed: " + string.Join("; ", failed.Select(f => $"{f.Check}: {f.Message}")),
        new Dictionary<string, object?> { ["failed"] = failed })
{
    public IReadOnlyList<QualityResult> Failed { get; } = failed;
}
