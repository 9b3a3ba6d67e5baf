using MarketSpine.Core.Errors;
using MarketSpine.Core.Quality;

namespace MarketSpine.Core.Tests.Quality;

public sealed class QualityGateTests
{
    [Fact]
    public void Passing_results_are_returned_as_given()
    {
        IReadOnlyList<QualityResult> results = [QualityResult.Pass("a", "ok"), QualityResult.Pass("b", "ok")];

        Assert.Same(results, QualityGate.Enforce(results));
    }

    [Fact]
    public void Failed_check_that_is_not_a_gate_only_reports()
    {
        IReadOnlyList<QualityResult> results = [QualityResult.Pass("a", "ok"), QualityResult.Fail("late", "arrived late", isGate: false)];

        Assert.Same(results, QualityGate.Enforce(results));
    }

    [Fact]
    public void No_results_pass()
    {
        Assert.Empty(QualityGate.Enforce([]));
    }

    [Fact]
    public void Failed_gates_throw_naming_every_failed_gate_and_only_those()
    {
        var sum = QualityResult.Fail("shares_sum_to_100", "shares sum to 97.5%");
        var dupes = QualityResult.Fail("no_duplicates", "3 duplicate rows");

        var error = Assert.Throws<QualityGateError>(() => QualityGate.Enforce(
            [QualityResult.Pass("rows_present", "10 rows"), sum, QualityResult.Fail("late", "late", isGate: false), dupes]));

        Assert.Equal(ErrorCodes.QualityGateFailed, error.Code);
        Assert.Equal([sum, dupes], error.Failed);
        Assert.Equal("Quality gate failed: shares_sum_to_100: shares sum to 97.5%; no_duplicates: 3 duplicate rows", error.Message);
        Assert.Same(error.Failed, error.Details["failed"]);
    }

    [Fact]
    public void Results_are_gates_unless_said_otherwise()
    {
        Assert.True(QualityResult.Pass("a", "ok").IsGate);
        Assert.True(new QualityResult("a", false, "bad").IsGate);
    }
}
