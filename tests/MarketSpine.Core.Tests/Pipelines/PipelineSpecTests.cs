using MarketSpine.Core.Errors;
using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Tests.Pipelines;

public sealed class PipelineSpecTests
{
    private static readonly PipelineSpec Spec = new(
    [
        new ParameterSpec("week", ParameterType.Date, true, null, null, "Week start."),
        new ParameterSpec("tier", ParameterType.Choice, false, "OTC", ["NMS_TIER_1", "NMS_TIER_2", "OTC"], "Market tier."),
        new ParameterSpec("limit", ParameterType.Integer, false, "10", null, "Row limit."),
        new ParameterSpec("ratio", ParameterType.Decimal, false, null, null, "A ratio."),
        new ParameterSpec("dry_run", ParameterType.Boolean, false, null, null, "Only validate."),
        new ParameterSpec("file", ParameterType.FilePath, false, null, null, "Input file."),
        new ParameterSpec("note", ParameterType.String, false, null, null, "Free text."),
    ]);

    private static PipelineParameters Validate(params (string Name, string? Value)[] raw) =>
        Spec.Validate(raw.ToDictionary(r => r.Name, r => r.Value));

    private static ValidationError Invalid(params (string Name, string? Value)[] raw) =>
        Assert.Throws<ValidationError>(() => Validate(raw));

    [Fact]
    public void Every_type_parses_to_its_typed_value()
    {
        var file = Path.GetTempFileName();
        try
        {
            var parameters = Validate(("week", "2024-01-08"), ("tier", "NMS_TIER_2"), ("limit", "25"), ("ratio", "0.75"),
                ("dry_run", "yes"), ("file", file), ("note", "  hello  "));

            Assert.Equal(new DateOnly(2024, 1, 8), parameters.Values["week"]);
            Assert.Equal("NMS_TIER_2", parameters.Values["tier"]);
            Assert.Equal(25L, parameters.Values["limit"]);
            Assert.Equal(0.75m, parameters.Values["ratio"]);
            Assert.Equal(true, parameters.Values["dry_run"]);
            Assert.Equal(Path.GetFullPath(file), parameters.Values["file"]);
            Assert.Equal("hello", parameters.Values["note"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Defaults_fill_absent_and_blank_values_and_are_parsed_like_input()
    {
        var parameters = Validate(("week", "2024-01-08"), ("limit", "  "));

        Assert.Equal(10L, parameters.GetInteger("limit"));
        Assert.Equal("OTC", parameters.GetString("tier"));
        Assert.False(parameters.Has("ratio"));
        Assert.False(parameters.Has("note"));
    }

    [Theory]
    [InlineData("nms tier 1")]
    [InlineData("NMS-Tier-1")]
    [InlineData("nms_tier_1")]
    [InlineData(" NMSTIER1 ")]
    public void Choice_matches_ignoring_case_spaces_hyphens_and_underscores_and_keeps_the_declared_spelling(string text)
    {
        Assert.Equal("NMS_TIER_1", Validate(("week", "2024-01-08"), ("tier", text)).GetString("tier"));
    }

    [Fact]
    public void Choice_outside_the_allowed_values_lists_them()
    {
        var problem = Assert.Single(Invalid(("week", "2024-01-08"), ("tier", "tier 3")).Problems);

        Assert.Equal(new ValidationProblem("tier", "NOT_ALLOWED", "Parameter 'tier': 'tier 3' is not one of NMS_TIER_1, NMS_TIER_2, OTC."), problem);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("False", false)]
    [InlineData("no", false)]
    [InlineData("OFF", false)]
    [InlineData("0", false)]
    public void Boolean_accepts_the_usual_spellings(string text, bool expected)
    {
        Assert.Equal(expected, Validate(("week", "2024-01-08"), ("dry_run", text)).GetBoolean("dry_run"));
    }

    [Theory]
    [InlineData("week", "2024/01/08", "Parameter 'week': '2024/01/08' is not a date as yyyy-MM-dd.")]
    [InlineData("week", "2023-02-29", "Parameter 'week': '2023-02-29' is not a date as yyyy-MM-dd.")]
    [InlineData("limit", "12.5", "Parameter 'limit': '12.5' is not an integer.")]
    [InlineData("limit", "99999999999999999999", "Parameter 'limit': '99999999999999999999' is not an integer.")]
    [InlineData("ratio", "three quarters", "Parameter 'ratio': 'three quarters' is not a decimal number.")]
    [InlineData("ratio", "0,5", "Parameter 'ratio': '0,5' is not a decimal number.")]
    [InlineData("ratio", "1,000.5", "Parameter 'ratio': '1,000.5' is not a decimal number.")]
    [InlineData("dry_run", "maybe", "Parameter 'dry_run': 'maybe' is not true or false.")]
    public void Value_of_the_wrong_type_is_an_invalid_type_problem(string name, string text, string message)
    {
        var raw = name == "week" ? new[] { (name, (string?)text) } : [("week", "2024-01-08"), (name, text)];

        var problem = Assert.Single(Invalid(raw).Problems);

        Assert.Equal(new ValidationProblem(name, "INVALID_TYPE", message), problem);
    }

    [Theory]
    [InlineData("0.5", "0.5")]
    [InlineData("-12.25", "-12.25")]
    [InlineData(" 3 ", "3")]
    public void Decimal_reads_invariant_numbers(string text, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Validate(("week", "2024-01-08"), ("ratio", text)).Values["ratio"]);
    }

    [Fact]
    public void Missing_file_is_a_problem_naming_the_full_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.csv");

        var problem = Assert.Single(Invalid(("week", "2024-01-08"), ("file", missing)).Problems);

        Assert.Equal(new ValidationProblem("file", "FILE_NOT_FOUND", $"Parameter 'file': file not found: {missing}"), problem);
    }

    [Fact]
    public void Path_that_cannot_be_a_path_is_a_problem_not_a_crash()
    {
        var problem = Assert.Single(Invalid(("week", "2024-01-08"), ("file", "in\0put.csv")).Problems);

        Assert.Equal("file", problem.Field);
    }

    [Fact]
    public void Directory_is_not_a_file()
    {
        var problem = Assert.Single(Invalid(("week", "2024-01-08"), ("file", Path.GetTempPath())).Problems);

        Assert.Equal("FILE_NOT_FOUND", problem.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Required_parameter_without_a_value_is_a_problem_quoting_its_description(string? value)
    {
        var problem = Assert.Single(Invalid(("week", value)).Problems);

        Assert.Equal(new ValidationProblem("week", "REQUIRED", "Parameter 'week' is required: Week start."), problem);
    }

    [Fact]
    public void Required_parameter_absent_from_the_input_is_a_problem()
    {
        var problem = Assert.Single(Invalid().Problems);

        Assert.Equal("REQUIRED", problem.Code);
    }

    [Theory]
    [InlineData("wek", "week")]
    [InlineData("Week", "week")]
    [InlineData("dry-run", "dry_run")]
    [InlineData("DRYRUN", "dry_run")]
    [InlineData("limt", "limit")]
    public void Unknown_parameter_suggests_the_near_one(string unknown, string suggestion)
    {
        var error = Invalid(("week", "2024-01-08"), (unknown, "x"));

        var problem = error.Problems.First(p => p.Field == unknown);
        Assert.Equal(new ValidationProblem(unknown, "UNKNOWN_PARAMETER", $"Unknown parameter '{unknown}'; did you mean '{suggestion}'?"), problem);
    }

    [Fact]
    public void Unknown_parameter_with_nothing_near_lists_the_known_ones()
    {
        var problem = Assert.Single(Invalid(("week", "2024-01-08"), ("symbols", "AAPL")).Problems);

        Assert.Equal("Unknown parameter 'symbols'. Known: week, tier, limit, ratio, dry_run, file, note.", problem.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Invalid(("wek", "2024-01-08"), ("limit", "many"), ("tier", "gold"), ("dry_run", "perhaps"));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal(
            [("wek", "UNKNOWN_PARAMETER"), ("week", "REQUIRED"), ("tier", "NOT_ALLOWED"), ("limit", "INVALID_TYPE"), ("dry_run", "INVALID_TYPE")],
            error.Problems.Select(p => (p.Field, p.Code)));
        Assert.StartsWith("5 problems: Unknown parameter 'wek'; did you mean 'week'?; Parameter 'week' is required", error.Message, StringComparison.Ordinal);
        Assert.Same(error.Problems, error.Details["problems"]);
    }

    [Fact]
    public void Single_problem_is_the_whole_message()
    {
        var error = Invalid(("week", "2024-01-08"), ("limit", "many"));

        Assert.Equal("Parameter 'limit': 'many' is not an integer.", error.Message);
    }

    [Fact]
    public void Validated_values_are_recorded_as_invariant_text()
    {
        var text = Validate(("week", "2024-01-08"), ("ratio", "0.5"), ("dry_run", "on")).ToText();

        Assert.Equal(
            new Dictionary<string, string> { ["week"] = "2024-01-08", ["tier"] = "OTC", ["limit"] = "10", ["ratio"] = "0.5", ["dry_run"] = "true" },
            text);
    }
}
