using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketSpine.Api.Errors;
using MarketSpine.Api.Executions;
using MarketSpine.Api.Health;
using MarketSpine.Api.Metrics;
using MarketSpine.Domains.Otc.Model;
using MarketSpine.Api.Streaming;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MarketSpine.Api.Hosting;

public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the API's services: JSON in snake_case (the one naming of every Market Spine surface),
    /// the error envelope for every failure, the request limits, streaming, metrics and the OpenAPI
    /// document. The host registers the command layer (<c>AddMarketSpineExecutions</c>), the OTC domain,
    /// an <c>ISpineDatabase</c>, and the readiness checks that apply to it.
    /// </summary>
    public static IServiceCollection AddSpineApi(this IServiceCollection services, Action<ApiOptions>? configure = null)
    {
        var options = new ApiOptions();
        configure?.Invoke(options);
        options.Validate();
        services.AddSingleton(options);
        services.ConfigureHttpJsonOptions(json => Configure(json.SerializerOptions));
        // Binding failures (a malformed body, a parameter of the wrong type) throw, so that the
        // exception handler answers them with the error envelope instead of an empty 400.
        services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();
        services.AddSingleton<SubmitRequestReader>();
        services.AddSingleton<StreamLimiter>();
        services.AddSingleton<ServerSentEventWriter>();
        services.AddSingleton<ApiMetrics>();
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton<IReadinessCheck, DatabaseReadinessCheck>();
        services.AddOpenApi("v1", openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Market Spine API";
            document.Info.Version = "v1";
            document.Info.Description = "Run named data pipelines and keep their history; query FINRA OTC weekly transparency data as of any publication. "
                                        + "Every error is {\"error\": {\"code\", \"message\", \"details\"}}. Changes within v1 are additive only.";
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>The JSON settings of the API: snake_case properties and enums, relaxed escaping, tiers as their codes.</summary>
    public static void Configure(JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DictionaryKeyPolicy = null;
        json.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        json.Converters.Add(new OtcTierJsonConverter());
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }
}
