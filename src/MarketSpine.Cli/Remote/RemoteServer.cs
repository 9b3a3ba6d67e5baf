using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketSpine.Core.Errors;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Cli.Remote;

/// <summary>
/// The REST API of a Market Spine server, for the CLI's <c>--server</c> mode: JSON in and out, and
/// every error envelope turned back into the error the command layer would have thrown here, so a
/// command fails with the same one-line message and exit code against a server as on the local database.
/// </summary>
public sealed class RemoteServer : IDisposable
{
    private readonly HttpClient _http;

    public RemoteServer(Uri baseAddress, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        BaseAddress = baseAddress;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = baseAddress,
            // Waits are bounded by the server (Prefer: wait) and by the commands' own polling.
            Timeout = TimeSpan.FromMinutes(6),
        };
    }

    /// <summary>The API's JSON: snake_case properties and enums, tiers as their codes.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new OtcTierJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public Uri BaseAddress { get; }

    public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    public Task<T> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    public Task<T> DeleteAsync<T>(string path, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Delete, path, null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception) when (exception.InnerException is SocketException || exception.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new RemoteError(ErrorCodes.Unavailable, $"Cannot reach the server at {BaseAddress}: {exception.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RemoteError(ErrorCodes.Unavailable, $"The server at {BaseAddress} did not answer within {_http.Timeout.TotalMinutes:0} minutes.");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorOfAsync(response, cancellationToken);
            }

            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                   ?? throw new RemoteError(ErrorCodes.Internal, $"The server answered {method} {path} with JSON null.");
        }
    }

    /// <summary>The error an answer carries, as the type the command layer throws for its code.</summary>
    private static async Task<SpineError> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ErrorInfo? error = null;
        try
        {
            error = (await response.Content.ReadFromJsonAsync<Envelope>(Json, cancellationToken))?.Error;
        }
        catch (JsonException)
        {
            // Not the API's envelope (a proxy's page, say): described by its status below.
        }

        if (error is null)
        {
            return new RemoteError(response.StatusCode >= HttpStatusCode.InternalServerError ? ErrorCodes.Internal : ErrorCodes.ValidationFailed,
                $"The server answered {(int)response.StatusCode} {response.ReasonPhrase} without an error body.");
        }

        var details = error.Details.ToDictionary(pair => pair.Key, pair => (object?)pair.Value);
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest when error.Code == ErrorCodes.ValidationFailed => new ValidationError(error.Message, Problems(error)),
            HttpStatusCode.NotFound => new NotFoundError(error.Code, error.Message, details),
            HttpStatusCode.Conflict when error.Code == ErrorCodes.InvalidState => new InvalidStateError(error.Code, error.Message, details),
            HttpStatusCode.Conflict => new ConflictError(error.Code, error.Message, details),
            HttpStatusCode.TooManyRequests => new BusyError(error.Code, error.Message, response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), details),
            _ => new RemoteError(error.Code, error.Message, details),
        };
    }

    private static List<ValidationProblem> Problems(ErrorInfo error) =>
        error.Details.TryGetValue("problems", out var problems) && problems is JsonElement { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Select(p => new ValidationProblem(
                p.TryGetProperty("field", out var field) ? field.GetString() ?? "" : "",
                p.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "",
                p.TryGetProperty("message", out var message) ? message.GetString() ?? "" : ""))]
            : [new ValidationProblem("request", "invalid", error.Message)];

    private sealed record Envelope(ErrorInfo? Error);
}
