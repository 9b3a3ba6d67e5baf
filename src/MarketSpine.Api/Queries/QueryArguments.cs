using MarketSpine.Core.Errors;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Queries;

namespace MarketSpine.Api.Queries;

/// <summary>Reads the query string of the OTC queries, with the same rules and messages as the CLI's options.</summary>
public static class QueryArguments
{
    public static OtcTier? Tier(string? text) => text is null
        ? null
        : OtcTiers.TryParse(text, out var tier)
            ? tier
            : throw new ValidationError(new ValidationProblem("tier", "not_allowed", $"tier '{text}' is not one of {string.Join(", ", OtcTiers.Codes)}."));

    public static AsOf AsOf(string? text) => Domains.Otc.Queries.AsOf.Parse(text);

    public static int Top(int? top, int maximum) => top switch
    {
        null => 10,
        >= 1 when top <= maximum => top.Value,
        _ => throw new ValidationError(new ValidationProblem("top", "out_of_range", $"top must be between 1 and {maximum} (got {top})."))
    };

    public static int Offset(int? offset) => offset switch
    {
        null => 0,
        >= 0 => offset.Value,
        _ => throw new ValidationError(new ValidationProblem("offset", "out_of_range", $"offset must not be negative (got {offset})."))
    };
}
