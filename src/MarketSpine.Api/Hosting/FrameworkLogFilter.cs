namespace MarketSpine.Api.Hosting;

/// <summary>
/// The host's logger factory, except that ASP.NET Core's own categories (<c>Microsoft.AspNetCore.*</c>)
/// log from Warning up: what <c>"Microsoft.AspNetCore": "Warning"</c> in a template's appsettings does,
/// for hosts whose factory (Serilog's) does not read the framework's filter settings. Issue 5's
/// benchmark (docs/benchmarks.md): at Information the framework wrote six lines per request (request
/// starting, executing endpoint, status, writing the JSON, executed endpoint, request finished) through
/// the console sink, under its lock, which was 12–15 % of the server's CPU on
/// <c>GET /v1/executions/{id}</c>. Requests are counted and timed by <c>/health/metrics</c> instead.
/// </summary>
internal sealed class FrameworkLogFilter(ILoggerFactory host) : ILoggerFactory
{
    private const string FrameworkPrefix = "Microsoft.AspNetCore";

    public ILogger CreateLogger(string categoryName)
    {
        var logger = host.CreateLogger(categoryName);
        return categoryName.StartsWith(FrameworkPrefix, StringComparison.Ordinal) ? new WarningsOnly(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => host.AddProvider(provider);

    /// <summary>Nothing to release: the host owns its factory and disposes it.</summary>
    public void Dispose()
    {
    }

    private sealed class WarningsOnly(ILogger inner) : ILogger
    {
        // Scopes pass through: the request's scope (its id and path) still reaches what other categories log within it.
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
