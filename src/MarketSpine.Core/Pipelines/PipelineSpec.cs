using System.Globalization;
using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Pipelines;

/// <summary>The parameters a pipeline takes, and the validation of user input against them.</summary>
public sealed class PipelineSpec(IReadOnlyList<ParameterSpec> parameters)
{
    public IReadOnlyList<ParameterSpec> Parameters { get; } = parameters;

    /// <summary>
    /// Parses and checks raw values. Every problem is collected (unknown names, missing required
    /// values, bad types, values outside the allowed set, missing files) before failing, so one
    /// <see cref="ValidationError"/> tells the user everything to fix.
    /// </summary>
    public PipelineParameters Validate(IReadOnlyDictionary<string, string?> raw)
    {
        var problems = new List<ValidationProblem>();
        var values = new Dictionary<string, object>(StringComparer.Ordinal);

        foreach (var name in raw.Keys.Where(k => Parameters.All(p => !string.Equals(p.Name, k, StringComparison.Ordinal))))
        {
            var suggestion = Suggest(name);
            problems.Add(new ValidationProblem(name, "UNKNOWN_PARAMETER",
                suggestion is null
                    ? $"Unknown parameter '{name}'. Known: {string.Join(", ", Parameters.Select(p => p.Name))}."
                    : $"Unknown parameter '{name}'; did you mean '{suggestion}'?"));
        }

        foreach (var spec in Parameters)
        {
            raw.TryGetValue(spec.Name, out var text);
            if (string.IsNullOrWhiteSpace(text))
            {
                text = spec.Default;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                if (spec.Required)
                {
                    problems.Add(new ValidationProblem(spec.Name, "REQUIRED", $"Parameter '{spec.Name}' is required: {spec.Description}"));
                }

                continue;
            }

            if (TryParse(spec, text.Trim(), out var value, out var problem))
            {
                values[spec.Name] = value;
            }
            else
            {
                problems.Add(problem);
            }
        }

        if (problems.Count > 0)
        {
            throw ValidationError.FromProblems(problems);
        }

        return new PipelineParameters(values);
    }

    private static bool TryParse(ParameterSpec spec, string text, out object value, out ValidationProblem problem)
    {
        problem = null!;
        value = null!;
        switch (spec.Type)
        {
            case ParameterType.String:
                value = text;
                return true;
            case ParameterType.Integer when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer):
                value = integer;
                return true;
            // No thousands separators: with them, a comma-decimal "0,5" silently parses as 5.
            case ParameterType.Decimal when decimal.TryParse(text, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var number):
                value = number;
                return true;
            case ParameterType.Boolean when TryParseBoolean(text, out var flag):
                value = flag;
                return true;
            case ParameterType.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                value = date;
                return true;
            case ParameterType.FilePath:
                string full;
                try
                {
                    full = Path.GetFullPath(text);
                }
                catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
                {
                    problem = new ValidationProblem(spec.Name, "INVALID_PATH", $"Parameter '{spec.Name}': '{text}' is not a valid path: {exception.Message}");
                    return false;
                }

                if (File.Exists(full))
                {
                    value = full;
                    return true;
                }

                problem = new ValidationProblem(spec.Name, "FILE_NOT_FOUND", $"Parameter '{spec.Name}': file not found: {full}");
                return false;
            case ParameterType.Choice:
                var allowed = spec.AllowedValues ?? [];
                var match = allowed.FirstOrDefault(a => string.Equals(Canonical(a), Canonical(text), StringComparison.Ordinal));
                if (match is not null)
                {
                    value = match;
                    return true;
                }

                problem = new ValidationProblem(spec.Name, "NOT_ALLOWED", $"Parameter '{spec.Name}': '{text}' is not one of {string.Join(", ", allowed)}.");
                return false;
        }

        var expected = spec.Type switch
        {
            ParameterType.Integer => "an integer",
            ParameterType.Decimal => "a decimal number",
            ParameterType.Boolean => "true or false",
            ParameterType.Date => "a date as yyyy-MM-dd",
            _ => spec.Type.ToString(),
        };
        problem = new ValidationProblem(spec.Name, "INVALID_TYPE", $"Parameter '{spec.Name}': '{text}' is not {expected}.");
        return false;
    }

    private static bool TryParseBoolean(string text, out bool flag)
    {
        switch (text.ToUpperInvariant())
        {
            case "TRUE" or "YES" or "1" or "ON":
                flag = true;
                return true;
            case "FALSE" or "NO" or "0" or "OFF":
                flag = false;
                return true;
            default:
                flag = false;
                return false;
        }
    }

    /// <summary>"NMS Tier 1", "nms-tier-1" and "NMS_TIER_1" are the same choice.</summary>
    private static string Canonical(string text) =>
        new(text.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    private string? Suggest(string unknown)
    {
        var canonical = Canonical(unknown);
        var exact = Parameters.FirstOrDefault(p => string.Equals(Canonical(p.Name), canonical, StringComparison.Ordinal));
        if (exact is not null)
        {
            return exact.Name;
        }

        // The nearest name within two edits, so "tire" suggests "tier" rather than any close name.
        return Parameters.Select(p => (p.Name, Distance: TextDistance.Between(p.Name, unknown)))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }
}
