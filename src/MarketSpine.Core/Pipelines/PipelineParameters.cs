using System.Globalization;

namespace MarketSpine.Core.Pipelines;

/// <summary>Validated, typed parameter values of one execution.</summary>
public sealed class PipelineParameters(IReadOnlyDictionary<string, object> values)
{
    public static PipelineParameters Empty { get; } = new(new Dictionary<string, object>());

    public IReadOnlyDictionary<string, object> Values { get; } = values;

    public bool Has(string name) => Values.ContainsKey(name);

    public string GetString(string name) => (string)Require(name);

    public string? GetStringOrNull(string name) => Values.TryGetValue(name, out var v) ? (string)v : null;

    public long GetInteger(string name) => (long)Require(name);


    public bool GetBoolean(string name) => Values.TryGetValue(name, out var v) && (bool)v;

    public DateOnly GetDate(string name) => (DateOnly)Require(name);

    public DateOnly? GetDateOrNull(string name) => Values.TryGetValue(name, out var v) ? (DateOnly)v : null;

    /// <summary>The values as text, the way they are recorded with the execution and shown back.</summary>
    public IReadOnlyDictionary<string, string> ToText() => Values.ToDictionary(
        kv => kv.Key,
        kv => kv.Value switch
        {
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString() ?? "",
        },
        StringComparer.Ordinal);

    private object Require(string name) =>
        Values.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"Parameter '{name}' was not validated as present; declare it required or check Has() first.");
}
