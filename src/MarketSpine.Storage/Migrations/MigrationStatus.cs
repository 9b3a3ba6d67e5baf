namespace MarketSpine.Storage.Migrations;

/// <summary>Where a database stands against the scripts this build carries.</summary>
public sealed record MigrationStatus(IReadOnlyList<AppliedMigration> Applied, IReadOnlyList<Migration> Pending)
{
    public bool IsCurrent => Pending.Count == 0;
}

/// <summary>A row of <c>_migrations</c>.</summary>
public sealed record AppliedMigration(int Version, string Name, string Checksum, DateTimeOffset AppliedAt);
