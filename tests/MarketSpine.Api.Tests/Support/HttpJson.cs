using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MarketSpine.Api.Tests.Support;

/// <summary>Reading answers as plain JSON, the way any client of the contract would.</summary>
public static class HttpJson
{
    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("The answer was JSON null.");

    /// <summary>Asserts the status, and returns the body as JSON.</summary>
    public static async Task<JsonNode> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {status}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts an error answer: the status and the envelope's code, with a message; returns the error object.</summary>
    public static async Task<JsonNode> ExpectErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.ExpectAsync(status);
        var error = body["error"] ?? throw new Xunit.Sdk.XunitException($"No error envelope in {body.ToJsonString()}");
        Assert.Equal(code, (string?)error["code"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
        Assert.NotNull(error["details"]);
        Assert.DoesNotContain("   at ", body.ToJsonString(), StringComparison.Ordinal);
        return error;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);
}
