namespace MarketSpine.Core.Data;

/// <summary>The SQL dialect of a store. SQL is written portably; this says where it cannot be.</summary>
public enum SqlDialect
{
    Sqlite,
    Postgres,
}
