using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;
using MarketSpine.Core.Registry;
using MarketSpine.Core.Tests.TestPipelines;

namespace MarketSpine.Core.Tests.Registry;

public sealed class PipelineRegistryTests
{
    private static readonly PipelineRegistry Registry = PipelineRegistry.FromAssemblies(typeof(IngestWeekPipeline).Assembly);

    [Fact]
    public void Discovers_every_pipeline_of_the_assembly_sorted_by_name()
    {
        Assert.Equal(
        [
            "test.alpha.failing_source",
            "test.alpha.ingest_week",
            "test.beta.cancellable",
            "test.beta.crashing",
            "test.beta.failing_gate",
            "test.beta.timing_out",
            "test.gamma.date_range",
        ],
            Registry.List().Select(d => d.Name));
    }

    [Fact]
    public void Descriptor_carries_the_description_domain_type_and_declared_parameters()
    {
        var descriptor = Registry.Get(IngestWeekPipeline.Name);

        Assert.Equal("Ingests one week of a test feed.", descriptor.Description);
        Assert.Equal("test.alpha", descriptor.Domain);
        Assert.Equal(typeof(IngestWeekPipeline), descriptor.PipelineType);
        Assert.Equal(["week", "tier", "limit", "ratio", "dry_run", "file", "note"], descriptor.Spec.Parameters.Select(p => p.Name));
        var week = descriptor.Spec.Parameters[0];
        Assert.Equal((ParameterType.Date, true, (string?)null, "Week start, yyyy-MM-dd."), (week.Type, week.Required, week.Default, week.Description));
        var tier = descriptor.Spec.Parameters[1];
        Assert.Equal(ParameterType.Choice, tier.Type);
        Assert.False(tier.Required);
        Assert.Equal("OTC", tier.Default);
        Assert.Equal(["NMS_TIER_1", "NMS_TIER_2", "OTC"], tier.AllowedValues!);
    }

    [Fact]
    public void Descriptor_builds_the_pipeline_with_its_dependencies()
    {
        var log = new RunLog();

        var pipeline = Registry.Get(IngestWeekPipeline.Name).Create(new SingleServiceProvider(log));

        Assert.IsType<IngestWeekPipeline>(pipeline);
    }

    [Fact]
    public void Domain_of_a_name_without_dots_is_the_name()
    {
        Assert.Equal("standalone", new PipelineDescriptor("standalone", "", new PipelineSpec([]), typeof(NoOpPipeline)).Domain);
    }

    [Fact]
    public void Unknown_name_is_not_found_with_suggestions_of_names_containing_it()
    {
        var error = Assert.Throws<NotFoundError>(() => Registry.Get("failing"));

        Assert.Equal(ErrorCodes.PipelineNotFound, error.Code);
        Assert.Equal("Unknown pipeline 'failing'. Did you mean: test.alpha.failing_source, test.beta.failing_gate?", error.Message);
        Assert.Equal("failing", error.Details["pipeline"]);
        Assert.Equal(["test.alpha.failing_source", "test.beta.failing_gate"], (IEnumerable<string>)error.Details["suggestions"]!);
    }

    [Fact]
    public void Short_name_suggests_the_full_name()
    {
        var error = Assert.Throws<NotFoundError>(() => Registry.Get("ingest_week"));

        Assert.Equal(["test.alpha.ingest_week"], (IEnumerable<string>)error.Details["suggestions"]!);
    }

    [Fact]
    public void Name_in_the_wrong_case_is_not_found_but_suggested()
    {
        var error = Assert.Throws<NotFoundError>(() => Registry.Get("TEST.ALPHA.INGEST_WEEK"));

        Assert.Equal(["test.alpha.ingest_week"], (IEnumerable<string>)error.Details["suggestions"]!);
    }

    [Fact]
    public void Unknown_name_with_nothing_near_points_to_the_list()
    {
        var error = Assert.Throws<NotFoundError>(() => Registry.Get("finra.otc.ingest"));

        Assert.Equal("Unknown pipeline 'finra.otc.ingest'. Run 'spine list' to see the pipelines.", error.Message);
        Assert.Empty((IEnumerable<string>)error.Details["suggestions"]!);
    }

    [Fact]
    public void TryGet_finds_exact_names_only()
    {
        Assert.True(Registry.TryGet(CrashingPipeline.Name, out var descriptor));
        Assert.Equal(typeof(CrashingPipeline), descriptor.PipelineType);
        Assert.False(Registry.TryGet("crashing", out _));
    }

    [Fact]
    public void Same_assembly_given_twice_is_scanned_once()
    {
        var assembly = typeof(IngestWeekPipeline).Assembly;

        Assert.Equal(Registry.List().Count, PipelineRegistry.FromAssemblies(assembly, assembly).List().Count);
    }

    [Fact]
    public void Two_types_registering_one_name_is_an_error_naming_both()
    {
        var assembly = new DynamicPipelines().Add("First", "dup.name").Add("Second", "dup.name").Assembly;

        var error = Assert.Throws<InvalidOperationException>(() => PipelineRegistry.FromAssemblies(assembly));

        Assert.Equal("Pipeline name 'dup.name' is registered by both Dynamic.First and Dynamic.Second.", error.Message);
    }

    [Fact]
    public void Same_name_in_two_assemblies_is_an_error_too()
    {
        var other = new DynamicPipelines().Add("Impostor", IngestWeekPipeline.Name).Assembly;

        var error = Assert.Throws<InvalidOperationException>(() => PipelineRegistry.FromAssemblies(typeof(IngestWeekPipeline).Assembly, other));

        Assert.Contains($"'{IngestWeekPipeline.Name}' is registered by both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attribute_on_a_type_that_is_not_a_pipeline_is_an_error()
    {
        var assembly = new DynamicPipelines().Add("NotAPipeline", "bad.type", typeof(object)).Assembly;

        var error = Assert.Throws<InvalidOperationException>(() => PipelineRegistry.FromAssemblies(assembly));

        Assert.Equal("Dynamic.NotAPipeline carries [Pipeline] but is not a concrete Pipeline.", error.Message);
    }

    [Fact]
    public void Parameter_declared_twice_is_an_error()
    {
        var assembly = new DynamicPipelines()
            .Add("Twice", "bad.params", null, DynamicPipelines.Parameter("week", ParameterType.Date), DynamicPipelines.Parameter("week", ParameterType.String))
            .Assembly;

        var error = Assert.Throws<InvalidOperationException>(() => PipelineRegistry.FromAssemblies(assembly));

        Assert.Equal("Dynamic.Twice declares parameter 'week' twice.", error.Message);
    }

    [Fact]
    public void Choice_without_allowed_values_is_an_error()
    {
        var assembly = new DynamicPipelines()
            .Add("NoChoices", "bad.choice", null, DynamicPipelines.Parameter("tier", ParameterType.Choice, []))
            .Assembly;

        var error = Assert.Throws<InvalidOperationException>(() => PipelineRegistry.FromAssemblies(assembly));

        Assert.Equal("Dynamic.NoChoices: choice parameter 'tier' lists no allowed values.", error.Message);
    }

    [Fact]
    public void Emitted_valid_pipeline_is_discovered_with_its_parameters()
    {
        var assembly = new DynamicPipelines()
            .Add("Good", "dyn.good", null, DynamicPipelines.Parameter("tier", ParameterType.Choice, ["A", "B"]))
            .Assembly;

        var descriptor = Assert.Single(PipelineRegistry.FromAssemblies(assembly).List());

        Assert.Equal("dyn.good", descriptor.Name);
        Assert.Equal(["A", "B"], descriptor.Spec.Parameters.Single().AllowedValues!);
    }
}
