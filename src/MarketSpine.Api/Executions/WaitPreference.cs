using System.Globalization;
using MarketSpine.Core.Errors;

namespace MarketSpine.Api.Executions;

/// <summary>
/// How long a submission asks to wait for its result: <c>Prefer: wait=N</c> (RFC 7240) or <c>?wait=N</c>,
/// in seconds, cut to the server's limit.
/// </summary>
public static class WaitPreference
{
    public static TimeSpan? Read(HttpRequest request, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? text = request.Query["wait"];
        if (text is null)
        {
            foreach (var header in request.Headers["Prefer"])
            {
                foreach (var preference in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    if (preference.StartsWith("wait=", StringComparison.OrdinalIgnoreCase))
                    {
                        text = preference[5..];
                    }
                }
            }
        }

        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0 || double.IsNaN(seconds) || double.IsInfinity(seconds))
        {
            throw new ValidationError(new ValidationProblem("wait", "malformed", $"wait must be a number of seconds, not '{text}'."));
        }

        var wait = TimeSpan.FromSeconds(Math.Min(seconds, limit.TotalSeconds));
        return wait;
    }
}
