using MarketSpine.Core.Data;
using Npgsql;
using NpgsqlTypes;

namespace MarketSpine.Storage.Postgres;

/// <summary>
/// Bulk insert through PostgreSQL's binary COPY: rows stream to the server with no per-row round
/// trip. Each value is written with its declared wire type, never an inferred one.
/// </summary>
internal sealed class PostgresBulkInsert(NpgsqlBinaryImporter importer, IReadOnlyList<BulkColumn> columns) : IBulkInsert
{
    private readonly NpgsqlDbType[] _types = columns.Select(c => ToNpgsqlType(c.Type)).ToArray();
    private int _column = -1;
    private long _rows;

    public async ValueTask StartRowAsync(CancellationToken cancellationToken)
    {
        EnsureRowComplete();
        await importer.StartRowAsync(cancellationToken);
        _column = 0;
        _rows++;
    }

    public void Write(string? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        importer.Write(value, Next());
    }

    public void Write(long value) => importer.Write(value, Next());

    public void Write(int value)
    {
        var type = Next();
        if (type == NpgsqlDbType.Bigint)
        {
            importer.Write((long)value, type);
        }
        else
        {
            importer.Write(value, type);
        }
    }

    public void Write(decimal? value)
    {
        if (value is { } d)
        {
            importer.Write(d, Next());
        }
        else
        {
            WriteNull();
        }
    }

    public void Write(DateOnly value) => importer.Write(value, Next());

    public void Write(DateTimeOffset value) => importer.Write(value.ToUniversalTime(), Next());

    public void WriteNull()
    {
        Next();
        importer.WriteNull();
    }

    public async ValueTask<long> CompleteAsync(CancellationToken cancellationToken)
    {
        EnsureRowComplete();
        await importer.CompleteAsync(cancellationToken);
        return _rows;
    }

    public ValueTask DisposeAsync() => importer.DisposeAsync();

    private NpgsqlDbType Next()
    {
        if (_column < 0 || _column >= _types.Length)
        {
            throw new InvalidOperationException($"Bulk insert: StartRowAsync first, then exactly {_types.Length} values per row.");
        }

        return _types[_column++];
    }

    private void EnsureRowComplete()
    {
        if (_column >= 0 && _column != _types.Length)
        {
            throw new InvalidOperationException($"Bulk insert: row {_rows} has {_column} values, expected {_types.Length}.");
        }
    }

    private static NpgsqlDbType ToNpgsqlType(BulkColumnType type) => type switch
    {
        BulkColumnType.Text => NpgsqlDbType.Text,
        BulkColumnType.BigInt => NpgsqlDbType.Bigint,
        BulkColumnType.Integer => NpgsqlDbType.Integer,
        BulkColumnType.Numeric => NpgsqlDbType.Numeric,
        BulkColumnType.Date => NpgsqlDbType.Date,
        BulkColumnType.TimestampUtc => NpgsqlDbType.TimestampTz,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
