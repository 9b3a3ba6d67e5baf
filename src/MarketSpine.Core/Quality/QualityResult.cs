namespace MarketSpine.Core.Quality;

/// <summary>The outcome of one quality check, kept in a run's result envelope.</summary>
/// <param name="Check">Stable check name, such as <c>shares_sum_to_100</c>.</param>
/// <param name="Passed">Whether the data met the check.</param>
/// <param name="Message">What was measured, in words a user can act on.</param>
/// <param name="IsGate">A failed gate fails the run; a failed non-gate check is only reported.</param>
public sealed record QualityResult(string Check, bool Passed, string Message, bool IsGate = true)
{
    public static QualityResult Pass(string check, string message, bool isGate = true) => new(check, true, message, isGate);

    public static QualityResult Fail(string check, string message, bool isGate = true) => new(check, false, message, isGate);
}
