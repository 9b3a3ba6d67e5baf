using System.Globalization;
using System.Text.Json;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Execution;
using MarketSpine.Core.Registry;
using MarketSpine.Grains.Hosting;

namespace MarketSpine.Api.Executions;

/// <summary>
/// Turns a submission body into the command layer's <see cref="SubmitRequest"/>, refusing what is
/// malformed with every problem at once. The pipeline's own parameter rules are the dispatcher's.
/// </summary>
public sealed class SubmitRequestReader(PipelineRegistry registry, ExecutionOptions executionOptions)
{
    public SubmitRequest Read(SubmitExecutionBody? body, string? idempotencyHeader)
    {
        if (body is null)
        {
            throw new ValidationError(new ValidationProblem("body", "required", "The body must be a JSON object with at least \"pipeline\"."));
        }

        var problems = new List<ValidationProblem>();
        if (string.IsNullOrWhiteSpace(body.Pipeline))
        {
            problems.Add(new ValidationProblem("pipeline", "required", "\"pipeline\" names the pipeline to run (GET /v1/pipelines lists them)."));
        }

        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in body.Params ?? new Dictionary<string, JsonElement>())
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    parameters[name] = value.GetString();
                    break;
                case JsonValueKind.Number:
                    parameters[name] = value.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    parameters[name] = value.GetBoolean() ? "true" : "false";
                    break;
                case JsonValueKind.Null:
                    parameters[name] = null;
                    break;
                default:
                    problems.Add(new ValidationProblem($"params.{name}", "wrong_type", $"Parameter '{name}' must be a string, number or boolean, not a JSON {value.ValueKind.ToString().ToLowerInvariant()}."));
                    break;
            }
        }

        var lane = ParseEnum(body.Lane, Lane.Normal, "lane", problems);
        var keyPolicy = ParseEnum(body.KeyPolicy, KeyPolicy.Queue, "key_policy", problems);
        var idempotencyKey = idempotencyHeader ?? body.IdempotencyKey;
        if (idempotencyHeader is not null && body.IdempotencyKey is not null && idempotencyHeader != body.IdempotencyKey)
        {
            problems.Add(new ValidationProblem("idempotency_key", "conflict", "The Idempotency-Key header and the body's idempotency_key differ; give one."));
        }

        if (idempotencyKey is { Length: 0 or > 200 })
        {
            problems.Add(new ValidationProblem("idempotency_key", "out_of_range", "An idempotency key has 1 to 200 characters."));
        }

        if (body.MaxAttempts is < 1 or > 100)
        {
            problems.Add(new ValidationProblem("max_attempts", "out_of_range", $"max_attempts must be between 1 and 100 (got {body.MaxAttempts})."));
        }

        if (body.TimeoutSeconds is { } seconds && (seconds <= 0 || seconds > ExecutionOptions.LongestRunTimeout.TotalSeconds || double.IsNaN(seconds)))
        {
            problems.Add(new ValidationProblem("timeout_seconds", "out_of_range",
                $"timeout_seconds must be positive and at most {ExecutionOptions.LongestRunTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}."));
        }

        if (problems.Count > 0)
        {
            throw ValidationError.FromProblems(problems);
        }

        return new SubmitRequest(body.Pipeline!, parameters, lane, TriggerSource.Api, body.LogicalKey, idempotencyKey)
        {
            KeyPolicy = keyPolicy,
            Retry = body.MaxAttempts is { } attempts ? (registry.Get(body.Pipeline!).Retry ?? executionOptions.DefaultRetry) with { MaxAttempts = attempts } : null,
            RunTimeout = body.TimeoutSeconds is { } timeout ? TimeSpan.FromSeconds(timeout) : null,
        };
    }

    private static T ParseEnum<T>(string? text, T fallback, string field, List<ValidationProblem> problems)
        where T : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }

        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text[0]))
        {
            return value;
        }

        var allowed = string.Join(", ", Enum.GetNames<T>().Select(name => name.ToLowerInvariant()));
        problems.Add(new ValidationProblem(field, "not_allowed", $"{field} '{text}' is not one of {allowed}."));
        return fallback;
    }
}
