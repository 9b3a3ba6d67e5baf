using System.Text.Json;
using MarketSpine.Core.Errors;

namespace MarketSpine.Storage.Executions;

/// <summary>Reads a stored <see cref="ErrorInfo"/>: its details round-trip as JSON elements, their shape being per error, not fixed.</summary>
internal static class ErrorJson
{
    public static ErrorInfo Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var details = new Dictionary<string, object?>();
        if (root.TryGetProperty("details", out var detailElement) && detailElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in detailElement.EnumerateObject())
            {
                details[property.Name] = property.Value.Clone();
            }
        }

        return new ErrorInfo(root.GetProperty("code").GetString()!, root.GetProperty("message").GetString()!, details);
    }
}
