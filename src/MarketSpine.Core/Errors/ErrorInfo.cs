namespace MarketSpine.Core.Errors;

/// <summary>
/// The wire shape of an error, as every surface shows it: <c>{"code", "message", "details"}</c>.
/// Codes are stable identifiers clients can branch on; messages are for people.
/// </summary>
public sealed record ErrorInfo(string Code, string Message, IReadOnlyDictionary<string, object?> Details)
{
    public static ErrorInfo Of(string code, string message) =>
        new(code, message, new Dictionary<string, object?>());
}
