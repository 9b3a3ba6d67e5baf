using System.Reflection;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.State;
using MarketSpine.Actors.Transport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MarketSpine.Actors.Hosting;

/// <summary>
/// Configures the silo that <see cref="ActorsServiceCollectionExtensions.AddMarketSpineActors"/> registers:
/// its grain classes, options, storage providers and reminders table. Storage and reminders live
/// in memory, SQLite (single node) or PostgreSQL (the cluster's store); the SQL backends expect
/// the runtime's migrations (sql/*/100_actors_runtime.sql, and for clustering 101_actors_cluster.sql)
/// to have been applied.
/// </summary>
public sealed class SiloBuilder
{
    private readonly List<Type> _grainClasses = [];

    internal SiloBuilder(IServiceCollection services) => Services = services;

    public IServiceCollection Services { get; }

    internal ActorsOptions Options { get; } = new();

    internal IReadOnlyList<Type> GrainClasses => _grainClasses;

    public SiloBuilder AddGrain<TGrain>()
        where TGrain : Grain
    {
        _grainClasses.Add(typeof(TGrain));
        return this;
    }

    /// <summary>Adds every concrete grain class of <paramref name="assembly"/>.</summary>
    public SiloBuilder AddGrains(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        _grainClasses.AddRange(assembly.GetTypes().Where(t => typeof(Grain).IsAssignableFrom(t) && !t.IsAbstract && !t.IsGenericTypeDefinition));
        return this;
    }

    public SiloBuilder Configure(Action<ActorsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Options);
        return this;
    }

    public SiloBuilder UseMemoryStorage(string name = PersistentStateAttribute.DefaultStorage)
    {
        Services.AddKeyedSingleton<IGrainStorage>(name, new MemoryGrainStorage());
        return this;
    }

    public SiloBuilder UseSqliteStorage(string connectionString, string name = PersistentStateAttribute.DefaultStorage)
    {
        Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => new SqliteGrainStorage(connectionString, Clock(services)));
        return this;
    }

    /// <summary>PostgreSQL storage over the process's one <see cref="NpgsqlDataSource"/>.</summary>
    public SiloBuilder UsePostgresStorage(NpgsqlDataSource dataSource, string name = PersistentStateAttribute.DefaultStorage)
    {
        Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => new PostgresGrainStorage(dataSource, Clock(services)));
        return this;
    }

    /// <summary>Uses an <see cref="IGrainStorage"/> instance (a shared one, or a provider of your own).</summary>
    public SiloBuilder UseStorage(IGrainStorage storage, string name = PersistentStateAttribute.DefaultStorage)
    {
        Services.AddKeyedSingleton(name, storage);
        return this;
    }

    public SiloBuilder UseMemoryReminders() => UseReminders(new MemoryReminderTable());

    public SiloBuilder UseSqliteReminders(string connectionString) => UseReminders(new SqliteReminderTable(connectionString));

    public SiloBuilder UsePostgresReminders(NpgsqlDataSource dataSource) => UseReminders(new PostgresReminderTable(dataSource));

    public SiloBuilder UseReminders(IReminderTable table)
    {
        Services.AddSingleton(table);
        return this;
    }

    /// <summary>
    /// Makes the silo a member of a cluster whose membership and grain directory are PostgreSQL tables
    /// (sql/postgres/101_actors_cluster.sql) of <paramref name="dataSource"/>. Needs a transport too.
    /// </summary>
    public SiloBuilder UsePostgresClustering(NpgsqlDataSource dataSource)
    {
        Services.AddSingleton(new PostgresMembershipTable(dataSource));
        Services.AddSingleton<IGrainDirectory>(services => new PostgresGrainDirectory(dataSource, Clock(services)));
        return this;
    }

    /// <summary>How a clustered silo talks to other silos and serves clients; the silo starts and disposes it.</summary>
    public SiloBuilder UseTransport(Func<IServiceProvider, IMessageTransport> factory)
    {
        Services.AddSingleton(factory);
        return this;
    }

    private static TimeProvider Clock(IServiceProvider services) => services.GetService<TimeProvider>() ?? TimeProvider.System;
}
