using System.Net;
using System.Text.Json.Nodes;
using MarketSpine.Api.Tests.Support;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace MarketSpine.Api.Tests;

/// <summary>The OpenAPI document at /openapi/v1.json is valid, lists the contract's endpoints, and every operation it lists is served.</summary>
public sealed class OpenApiTests(EmbeddedServer fixture) : IClassFixture<EmbeddedServer>
{
    /// <summary>The endpoints of the v1 contract (the issue, the seeds' tier documents).</summary>
    private static readonly (string Method, string Path)[] Contract =
    [
        ("GET", "/v1/pipelines"), ("GET", "/v1/pipelines/{name}"),
        ("POST", "/v1/executions"), ("GET", "/v1/executions"), ("GET", "/v1/executions/{id}"),
        ("GET", "/v1/executions/{id}/events"), ("GET", "/v1/executions/{id}/logs"),
        ("POST", "/v1/executions/{id}/cancel"), ("DELETE", "/v1/executions/{id}"),
        ("GET", "/v1/dead-letters"), ("POST", "/v1/dead-letters/{id}/retry"),
        ("GET", "/v1/logical-keys/{key}"),
        ("GET", "/v1/query/weeks"), ("GET", "/v1/query/symbols"), ("GET", "/v1/query/venues"),
        ("GET", "/v1/captures"), ("GET", "/v1/captures/diff"),
        ("GET", "/v1/health"), ("GET", "/health/ready"), ("GET", "/health/metrics"),
    ];

    [Fact]
    public async Task The_document_is_valid_and_lists_every_endpoint_of_the_contract()
    {
        var json = await fixture.Server.Client.GetStringAsync("/openapi/v1.json");
        var read = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var document = read.Document!;
        Assert.Equal("Market Spine API", document.Info.Title);
        var operations = document.Paths.SelectMany(path => path.Value.Operations!.Keys.Select(method => (method.Method.ToUpperInvariant(), Normalize(path.Key)))).ToHashSet();
        foreach (var (method, path) in Contract)
        {
            Assert.True(operations.Contains((method, path)), $"{method} {path} is missing from the document; it has {string.Join(", ", operations.Order())}");
        }

        // Snake case everywhere, as every answer is written.
        var schemas = JsonNode.Parse(json)!["components"]!["schemas"]!.AsObject();
        var properties = schemas.SelectMany(schema => schema.Value!["properties"]?.AsObject().Select(p => p.Key) ?? []).ToList();
        Assert.Contains("execution_id", properties);
        Assert.DoesNotContain(properties, name => name.Any(char.IsUpper));
    }

    [Fact]
    public async Task Every_documented_operation_is_served()
    {
        var json = JsonNode.Parse(await fixture.Server.Client.GetStringAsync("/openapi/v1.json"))!;
        foreach (var (path, item) in json["paths"]!.AsObject())
        {
            foreach (var (method, _) in item!.AsObject())
            {
                var concrete = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", "unknown") + (path.EndsWith("/diff", StringComparison.Ordinal) ? "?from=a&to=b" : "");
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), concrete);
                using var response = await fixture.Server.Client.SendAsync(request);
                Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain("\"NOT_FOUND\"", body, StringComparison.Ordinal);
                Assert.True((int)response.StatusCode < 500, $"{method} {concrete}: {(int)response.StatusCode} {body}");
            }
        }
    }

    [Fact]
    public async Task Swagger_ui_is_served_at_docs()
    {
        using var response = await fixture.Server.Client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Route templates end without a slash in the contract; the document keeps a group's trailing slash.</summary>
    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
