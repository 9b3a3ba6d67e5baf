using MarketSpine.Testing;

namespace MarketSpine.Api.Tests.Support;

/// <summary>A server one test class shares, in a directory of its own that is removed after.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    private SpineServer? _server;

    /// <summary>At most this many streams at once, so the limit test can reach it.</summary>
    public const int StreamLimit = 6;

    protected static readonly IReadOnlyDictionary<string, string> Limits = new Dictionary<string, string>
    {
        ["Spine__Api__MaxEventStreams"] = StreamLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Spine__Api__MaxRequestBodyBytes"] = (64 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("spine-api-tests-").FullName;

    public SpineServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Whether what the server needs is here; when not, its tests skip (never in CI).</summary>
    protected virtual bool Available => true;

    public async Task InitializeAsync()
    {
        if (Available)
        {
            _server = await StartAsync();
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is exiting; the temp folder is cleaned anyway.
        }
    }

    protected abstract Task<SpineServer> StartAsync();
}

/// <summary>The embedded default: <c>spine-silo embedded</c> on SQLite.</summary>
public sealed class EmbeddedServer : ServerFixture
{
    protected override Task<SpineServer> StartAsync() => SpineServer.StartEmbeddedAsync(Directory, Limits);
}

/// <summary>A silo of a PostgreSQL cluster co-hosting the API, on a database of its own.</summary>
public sealed class PostgresServer : ServerFixture
{
    private readonly PostgresDatabase _database = new();

    public string ConnectionString => _database.ConnectionString;

    protected override bool Available => TestEnvironment.PostgresAdminConnectionString is not null || TestEnvironment.IsCi;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (TestEnvironment.PostgresAdminConnectionString is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override async Task<SpineServer> StartAsync()
    {
        await _database.InitializeAsync();
        await SpineServer.MigrateAsync(_database.ConnectionString);
        return await SpineServer.StartClusterSiloAsync("silo-api-0", _database.ConnectionString, Directory, Limits);
    }
}
