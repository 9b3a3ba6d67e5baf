using System.CommandLine;
using MarketSpine.Cli.Output;
using MarketSpine.Core.Errors;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Cli.Commands;

/// <summary>The options the OTC query and capture commands share.</summary>
public sealed class QueryOptions
{
    public Option<DateOnly?> Week { get; } = new("--week", "-w") { Description = "The Friday the week ends (yyyy-MM-dd); the newest week when omitted." };

    public Option<string?> Tier { get; } = new("--tier", "-t") { Description = "NMS_TIER_1, NMS_TIER_2 or OTC (also T1, T2, 'NMS Tier 1', ...)." };

    public Option<string?> AsOf { get; } = new("--as-of") { Description = "A capture id, or a date: the newest publication on or before it. Latest when omitted." };

    public Option<int> Top { get; } = new("--top", "-n") { Description = "How many rows.", DefaultValueFactory = _ => 10 };

    public Option<int> Offset { get; } = new("--offset") { Description = "Rows to skip (paging).", DefaultValueFactory = _ => 0 };

    public Option<OutputFormat> Format { get; } = FormatOption.Create();

    public DateOnly? WeekOf(ParseResult result) => result.GetValue(Week);

    public int TopOf(ParseResult result) => result.GetValue(Top) is var top and >= 1 and <= 10_000
        ? top
        : throw new ValidationError(new ValidationProblem("--top", "OUT_OF_RANGE", $"--top must be between 1 and 10000 (got {result.GetValue(Top)})."));

    public int OffsetOf(ParseResult result) => result.GetValue(Offset) is var offset and >= 0
        ? offset
        : throw new ValidationError(new ValidationProblem("--offset", "OUT_OF_RANGE", $"--offset must not be negative (got {result.GetValue(Offset)})."));

    public OtcTier? TierOf(ParseResult result)
    {
        var text = result.GetValue(Tier);
        if (text is null)
        {
            return null;
        }

        return OtcTiers.TryParse(text, out var tier)
            ? tier
            : throw new ValidationError(new ValidationProblem("--tier", "NOT_ALLOWED", $"--tier '{text}' is not one of {string.Join(", ", OtcTiers.Codes)}."));
    }
}
