namespace MarketSpine.Storage.Migrations;

/// <summary>One forward-only migration script: <c>sql/{dialect}/NNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql, string Checksum)
{
    public string FileName => $"{Version:000}_{Name}.sql";
}
