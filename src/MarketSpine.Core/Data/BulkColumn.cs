namespace MarketSpine.Core.Data;

/// <summary>
/// A column of a bulk insert. Its type is declared, not inferred, because PostgreSQL's binary COPY
/// writes exactly the wire type given: a 32-bit value sent to a bigint column corrupts the row.
/// </summary>
public sealed record BulkColumn(string Name, BulkColumnType Type);

public enum BulkColumnType
{
    Text,
    BigInt,
    Integer,
    Numeric,
    Date,
    TimestampUtc,
}
