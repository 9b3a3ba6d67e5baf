using System.Reflection;
using MarketSpine.Domains.Otc.Persistence;
using MarketSpine.Domains.Otc.Pipelines;
using MarketSpine.Domains.Otc.Queries;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSpine.Domains.Otc;

/// <summary>Plugs the FINRA OTC domain into a host: its services, and its assembly for pipeline discovery.</summary>
public static class OtcDomain
{
    public static Assembly Assembly => typeof(OtcDomain).Assembly;

    public static IServiceCollection AddOtcDomain(this IServiceCollection services) => services
        .AddSingleton<OtcStore>()
        .AddSingleton<OtcWeekStages>()
        .AddSingleton<OtcQueryService>()
        .AddSingleton<IOtcQueries>(provider => provider.GetRequiredService<OtcQueryService>());
}
