using System.Text.Json;
using MarketSpine.Core.Errors;

namespace MarketSpine.Core.Sources;

/// <summary>
/// Turns JSON objects into records. Property names are mapped like a header, and every object is
/// checked for the required properties (a JSON "header" can change from one object to the next).
/// Consecutive objects with the same properties in the same order, the usual case, share one layout.
/// </summary>
internal sealed class JsonRecordBuilder(string sourceName, ColumnNames names, string position)
{
    private readonly List<string> _propertyNames = [];
    private readonly List<string?> _values = [];
    private string[] _layoutNames = [];
    private ColumnLayout? _layout;

    public SourceRecord Build(JsonElement element, long line, string? rawText)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SourceError(ErrorCodes.SourceMalformed,
                $"{sourceName} {position} {line}: expected a JSON object, found {Describe(element.ValueKind)}.",
                sourceName, line);
        }

        _propertyNames.Clear();
        _values.Clear();
        foreach (var property in element.EnumerateObject())
        {
            _propertyNames.Add(property.Name);
            _values.Add(Text(property.Value));
        }

        if (_layout is null || !_propertyNames.SequenceEqual(_layoutNames, StringComparer.Ordinal))
        {
            _layout = ColumnLayout.Resolve(sourceName, _propertyNames, names, line, position);
            _layoutNames = [.. _propertyNames];
        }

        return new SourceRecord(sourceName, line, _layout, [.. _values], rawText, position);
    }

    /// <summary>
    /// A value as text: strings unescaped, numbers exactly as written (<c>9.76E9</c> stays so, and
    /// no digits are lost to a double), null as null, nested objects and arrays as their JSON.
    /// </summary>
    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
