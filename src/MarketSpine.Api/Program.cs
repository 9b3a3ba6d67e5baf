using System.Reflection;
using System.Runtime.Loader;
using System.Runtime.InteropServices;
using MarketSpine.Actors.Client;
using MarketSpine.Api.FrontEnd;
using MarketSpine.Api.Hosting;
using MarketSpine.Grains.Hosting;
using Npgsql;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;

// spine-api: the API as a front end of a cluster, hosting no grains (a silo co-hosts the same API
// with SPINE_HTTP). SPINE_POSTGRES names the cluster's database, SPINE_HTTP where to listen.
var postgres = Environment.GetEnvironmentVariable("SPINE_POSTGRES");
if (string.IsNullOrWhiteSpace(postgres))
{
    await Console.Error.WriteLineAsync("spine-api: SPINE_POSTGRES is not set: the cluster's PostgreSQL connection string (silos are found through its membership table).");
    return 2;
}

// The pipelines beyond the OTC domain's that the cluster's silos run (SPINE_GRAIN_ASSEMBLIES, as on
// the silos): a front end validates submissions against their parameter specs.
var extensions = new List<Assembly>();
foreach (var path in (Environment.GetEnvironmentVariable("SPINE_GRAIN_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
{
    if (!File.Exists(path))
    {
        await Console.Error.WriteLineAsync($"spine-api: SPINE_GRAIN_ASSEMBLIES names '{path}', which does not exist.");
        return 2;
    }

    extensions.Add(AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(path)));
}

// ASP.NET Core's own categories from Warning up, as on the silo (its Program says why).
var serilog = new LoggerConfiguration().MinimumLevel.Information().MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
    .Enrich.FromLogContext().WriteTo.Console().CreateLogger();
using var loggerFactory = new SerilogLoggerFactory(serilog, dispose: true);
await using var dataSource = NpgsqlDataSource.Create(postgres);

// The content root is the install directory: the host watches it for configuration files, and the
// working directory may be a busy one.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ApplicationName = "spine-api", ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.Services.AddSingleton<ILoggerFactory>(loggerFactory);
builder.WebHost.UseUrls(Environment.GetEnvironmentVariable("SPINE_HTTP") is { Length: > 0 } urls ? urls : "http://0.0.0.0:8080");
// Limits from the environment: Spine__Api__MaxEventStreams=512 and the like (ApiOptions).
// and Spine__Executions__MaxBacklog=50000 and the like (ExecutionOptions).
builder.Services.AddFrontEnd(dataSource, extensions, options => builder.Configuration.GetSection(ExecutionOptions.SectionName).Bind(options)).AddSpineApi(options => builder.Configuration.GetSection("Spine:Api").Bind(options));
await using var app = builder.Build();
app.MapSpineApi();

// SIGTERM (Kubernetes) stops the front end cleanly: requests in flight finish first.
using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
await app.Services.GetRequiredService<RemoteClusterClient>().ConnectAsync(stop.Token);
await app.RunAsync(stop.Token);
return 0;
