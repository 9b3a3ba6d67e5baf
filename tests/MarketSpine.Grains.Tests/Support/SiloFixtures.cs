using MarketSpine.Testing;

namespace MarketSpine.Grains.Tests.Support;

/// <summary>A class fixture: one backend and one silo shared by the tests of a class (they run one at a time).</summary>
public abstract class SiloFixture : IAsyncLifetime
{
    private ExecutionSilo? _silo;

    public ExecutionSilo Silo => _silo ?? throw new InvalidOperationException("The backend of this fixture is not available.");

    protected virtual bool Available => true;

    public async Task InitializeAsync()
    {
        if (Available)
        {
            _silo = await ExecutionSilo.StartAsync(await CreateBackendAsync());
        }
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
            await _silo.Backend.DisposeAsync();
        }
    }

    protected abstract Task<ExecutionBackend> CreateBackendAsync();
}

public sealed class SqliteSilo : SiloFixture
{
    protected override async Task<ExecutionBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}

/// <summary>Outside scripts/with-postgres.sh it starts nothing, and the class's [PostgresFact] tests skip.</summary>
public sealed class PostgresSilo : SiloFixture
{
    protected override bool Available => TestEnvironment.PostgresAdminConnectionString is not null;

    protected override async Task<ExecutionBackend> CreateBackendAsync() => await PostgresBackend.CreateAsync();
}
