using System.Data.Common;

namespace MarketSpine.Core.Data;

/// <summary>Portable parameter binding for SQL that runs on both SQLite and PostgreSQL.</summary>
public static class DbCommandExtensions
{
    /// <summary>
    /// Binds a named parameter. Timestamps are sent as UTC (Npgsql refuses a non-zero offset for
    /// timestamptz); dates bind natively on both providers (SQLite stores them as ISO text).
    /// </summary>
    public static DbCommand WithParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value switch
        {
            null => DBNull.Value,
            DateTimeOffset time => time.ToUniversalTime(),
            _ => value,
        };
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>Creates a command on <paramref name="connection"/> in <paramref name="transaction"/> with <paramref name="sql"/>.</summary>
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
