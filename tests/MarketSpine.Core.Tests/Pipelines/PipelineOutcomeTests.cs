using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Quality;

namespace MarketSpine.Core.Tests.Pipelines;

public sealed class PipelineOutcomeTests
{
    [Fact]
    public void Include_prefixes_metrics_appends_quality_and_adds_rejects()
    {
        var outer = new PipelineOutcome { RejectCount = 1 };
        outer.Metrics["rows_read"] = 100;
        outer.Quality.Add(QualityResult.Pass("outer", "ok"));
        var inner = new PipelineOutcome { RejectCount = 4 };
        inner.Metrics["rows_read"] = 40;
        inner.Metrics["rows_inserted"] = 36;
        inner.Quality.Add(QualityResult.Fail("inner", "bad", isGate: false));

        var returned = outer.Include("load", inner);

        Assert.Same(outer, returned);
        Assert.Equal(new Dictionary<string, double> { ["rows_read"] = 100, ["load.rows_read"] = 40, ["load.rows_inserted"] = 36 }, outer.Metrics);
        Assert.Equal([QualityResult.Pass("outer", "ok"), QualityResult.Fail("inner", "bad", isGate: false)], outer.Quality);
        Assert.Equal(5, outer.RejectCount);
        Assert.Equal(2, inner.Metrics.Count);
    }

    [Fact]
    public void Including_the_same_stage_twice_keeps_the_latest_metrics_and_sums_rejects()
    {
        var first = new PipelineOutcome { RejectCount = 1 };
        first.Metrics["rows"] = 1;
        var second = new PipelineOutcome { RejectCount = 2 };
        second.Metrics["rows"] = 2;

        var outcome = new PipelineOutcome().Include("stage", first).Include("stage", second);

        Assert.Equal(2, outcome.Metrics["stage.rows"]);
        Assert.Equal(3, outcome.RejectCount);
    }

    [Fact]
    public void Nested_includes_compose_prefixes()
    {
        var leaf = new PipelineOutcome();
        leaf.Metrics["rows"] = 7;

        var outcome = new PipelineOutcome().Include("week", new PipelineOutcome().Include("load", leaf));

        Assert.Equal(7, outcome.Metrics["week.load.rows"]);
    }
}
