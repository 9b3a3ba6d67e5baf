using MarketSpine.Actors.Hosting;
using MarketSpine.Api.Health;
using MarketSpine.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketSpine.SiloHost;

/// <summary>
/// A silo's services, and the HTTP API when the silo co-hosts it: the API's endpoints then resolve
/// the command layer from the same container as the grains, so a request reaches a grain without a hop.
/// Runs the silo until it is told to stop or stops itself; the API starts after the silo (it never
/// answers before grains can) and stops before it (no request is cut off by a silo that left).
/// </summary>
internal sealed class SiloApplication : IAsyncDisposable
{
    private readonly ServiceProvider? _plain;
    private readonly WebApplication? _web;

    private SiloApplication(ServiceProvider? plain, WebApplication? web)
    {
        _plain = plain;
        _web = web;
    }

    public IServiceProvider Services => _web?.Services ?? _plain!;

    /// <param name="httpUrls">Where the API listens (<c>http://0.0.0.0:8080</c>), or null for a silo without it.</param>
    /// <param name="loggerFactory">The process's Serilog-backed factory, shared by the silo and the API.</param>
    /// <param name="register">The silo's services: storage, the runtime, the domains, the command layer.</param>
    public static SiloApplication Create(string? httpUrls, ILoggerFactory loggerFactory, Action<IServiceCollection> register)
    {
        ArgumentNullException.ThrowIfNull(register);
        if (httpUrls is null)
        {
            var services = new ServiceCollection()
                .AddSingleton(loggerFactory)
                .AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            register(services);
            return new SiloApplication(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), null);
        }

        // The content root is the install directory, not the working one: the host watches its content
        // root for configuration files, and the embedded default keeps spine.db and its WAL in the
        // working directory, whose every write the watcher then saw (about 1.5 % of a profile's samples).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "spine-silo", Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseUrls(httpUrls);
        register(builder.Services);
        // Limits from the environment: Spine__Api__MaxEventStreams=512 and the like (ApiOptions).
        builder.Services.AddSpineApi(options => builder.Configuration.GetSection("Spine:Api").Bind(options));
        builder.Services.AddSingleton<IReadinessCheck>(provider => new SiloReadinessCheck(provider.GetRequiredService<Silo>()));
        var app = builder.Build();
        app.MapSpineApi();
        return new SiloApplication(null, app);
    }

    public async Task<SiloExitCode> RunAsync(ILogger logger, CancellationToken shutdown)
    {
        var silo = Services.GetRequiredService<Silo>();
        try
        {
            await silo.StartAsync(shutdown);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await silo.StopAsync(CancellationToken.None);
            return SiloExitCode.Stopped;
        }

        logger.Running(silo.Address, silo.Endpoint);
        if (_web is not null)
        {
            await _web.StartAsync(CancellationToken.None);
            logger.ApiListening(_web.Urls);
        }

        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (shutdown.Register(() => stopRequested.TrySetResult()))
        {
            if (await Task.WhenAny(silo.Stopped, stopRequested.Task) == stopRequested.Task)
            {
                logger.Stopping(silo.Address);
                if (_web is not null)
                {
                    await _web.StopAsync(CancellationToken.None);
                }

                await silo.StopAsync(CancellationToken.None);
            }
        }

        var reason = await silo.Stopped;
        if (reason == SiloStopReason.Requested)
        {
            return SiloExitCode.Stopped;
        }

        logger.MembershipLost(silo.Address, reason);
        return SiloExitCode.MembershipLost;
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }

        if (_plain is not null)
        {
            await _plain.DisposeAsync();
        }
    }
}
