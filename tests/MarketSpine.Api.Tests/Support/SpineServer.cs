using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using MarketSpine.Api.TestPipelines;
using MarketSpine.Testing;

namespace MarketSpine.Api.Tests.Support;

/// <summary>
/// A Market Spine server started as a user starts it: <c>dotnet spine-silo.dll embedded</c>, a
/// clustered <c>spine-silo</c> with <c>SPINE_HTTP</c>, or <c>spine-api</c> in front of a cluster, on
/// a loopback port the process picks itself (port 0; the port is read from its log), with the test
/// pipelines loaded. Answers only over real HTTP. Stopped with SIGTERM, as Kubernetes stops it.
/// </summary>
public sealed partial class SpineServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DotnetProcess? _process;

    private SpineServer(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Where the server listens, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>A client for this server; streams may run long, so no client-side timeout beyond the tests' own.</summary>
    public HttpClient Client { get; private set; } = new();

    /// <summary>What the process has printed, for failure messages.</summary>
    public string Output => Process.Output;

    /// <summary><c>spine-silo embedded</c> on a fresh SQLite file in <paramref name="directory"/>.</summary>
    public static Task<SpineServer> StartEmbeddedAsync(string directory, IReadOnlyDictionary<string, string>? extra = null) =>
        StartAsync("embedded", "spine-silo.dll", ["embedded"], directory, With(extra, new()
        {
            ["SPINE_DATABASE_PATH"] = Path.Combine(directory, "spine.db"),
        }));

    /// <summary>A silo of a cluster on <paramref name="postgres"/> (already migrated) that co-hosts the API.</summary>
    public static Task<SpineServer> StartClusterSiloAsync(string name, string postgres, string directory, IReadOnlyDictionary<string, string>? extra = null) =>
        StartAsync(name, "spine-silo.dll", [], directory, With(extra, new()
        {
            ["SPINE_SILO_NAME"] = name,
            ["SPINE_SILO_ENDPOINT"] = "127.0.0.1:0",
            ["SPINE_POSTGRES"] = postgres,
        }));

    /// <summary><c>spine-api</c>: a front end that calls the cluster on <paramref name="postgres"/> as a client.</summary>
    public static Task<SpineServer> StartFrontEndAsync(string postgres, string directory) =>
        StartAsync("front-end", "spine-api.dll", [], directory, new() { ["SPINE_POSTGRES"] = postgres });

    /// <summary>Runs <c>spine-silo migrate</c> against <paramref name="postgres"/> and waits for it.</summary>
    public static async Task MigrateAsync(string postgres)
    {
        using var process = DotnetProcess.Start("migrate", "spine-silo.dll", new Dictionary<string, string> { ["SPINE_POSTGRES"] = postgres }, ["migrate"], Path.GetTempPath());
        var exit = await process.WaitForExitAsync(StartLimit);
        if (exit != 0)
        {
            throw new InvalidOperationException($"spine-silo migrate exited {exit}: {process.Output}");
        }
    }

    /// <summary>Stops the server with SIGTERM and waits for it to exit; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        try
        {
            return await Process.TerminateAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            Process.Kill();
            return await Process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await StopAsync();
            _process.Dispose();
        }

        Client.Dispose();
    }

    private DotnetProcess Process => _process ?? throw new InvalidOperationException($"{Name} has not started.");

    private static async Task<SpineServer> StartAsync(string name, string dll, string[] arguments, string directory, Dictionary<string, string> environment)
    {
        environment["SPINE_HTTP"] = "http://127.0.0.1:0";
        environment["SPINE_GRAIN_ASSEMBLIES"] = typeof(StepsPipeline).Assembly.Location;
        var server = new SpineServer(name);
        server._process = DotnetProcess.Start(name, dll, environment, arguments, directory, server.WatchForListening);
        try
        {
            server.BaseAddress = await server._listening.Task.WaitAsync(StartLimit);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"{name} did not listen within {StartLimit}. It printed:{Environment.NewLine}{server.Output}");
        }

        server.Client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
        server.Client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        await server.WaitUntilReadyAsync();
        return server;
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var response = await Client.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (deadline.Elapsed > StartLimit || Process.HasExited)
            {
                throw new TimeoutException($"{Name} was not ready within {StartLimit}: {await response.Content.ReadAsStringAsync()}{Environment.NewLine}{Output}");
            }

            await Task.Delay(100);
        }
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string>? extra, Dictionary<string, string> environment)
    {
        foreach (var (variable, value) in extra ?? new Dictionary<string, string>())
        {
            environment[variable] = value;
        }

        return environment;
    }

    private void WatchForListening(string line)
    {
        if (_listening.Task.IsCompleted)
        {
            return;
        }

        // Kestrel logs "Now listening on: http://127.0.0.1:PORT"; the silo logs the URLs it serves.
        if (ListeningUrl().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Value + "/"));
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:[1-9][0-9]*")]
    private static partial Regex ListeningUrl();
}
