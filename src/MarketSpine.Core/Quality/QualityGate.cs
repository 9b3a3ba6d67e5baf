using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Quality;

/// <summary>Turns a set of check results into a verdict: any failed gate throws.</summary>
public static class QualityGate
{
    /// <summary>Throws <see cref="QualityGateError"/> naming every failed gate; returns the results otherwise.</summary>
    public static IReadOnlyList<QualityResult> Enforce(IReadOnlyList<QualityResult> results)
    {
        var failed = results.Where(r => r is { Passed: false, IsGate: true }).ToList();
        if (failed.Count > 0)
        {
            throw new QualityGateError(failed);
        }

        return results;
    }
}
