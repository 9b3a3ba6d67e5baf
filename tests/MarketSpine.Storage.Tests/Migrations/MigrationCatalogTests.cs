using MarketSpine.Core.Data;
using MarketSpine.Storage.Migrations;
using MarketSpine.Testing;

namespace MarketSpine.Storage.Tests.Migrations;

/// <summary>The embedded scripts themselves: no database needed.</summary>
public sealed class MigrationCatalogTests
{
    [Fact]
    public void Both_dialects_carry_the_same_migration_numbers_and_names()
    {
        var sqlite = MigrationCatalog.For(SqlDialect.Sqlite);
        var postgres = MigrationCatalog.For(SqlDialect.Postgres);

        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite.Select(m => m.FileName), postgres.Select(m => m.FileName));
    }

    [Theory]
    [InlineData(SqlDialect.Sqlite, "sqlite")]
    [InlineData(SqlDialect.Postgres, "postgres")]
    public void The_catalog_is_exactly_the_scripts_in_the_sql_folder_in_version_order(SqlDialect dialect, string folder)
    {
        var catalog = MigrationCatalog.For(dialect);
        var files = Directory.GetFiles(Path.Combine(TestEnvironment.RepositoryRoot, "sql", folder), "*.sql")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(files, catalog.Select(m => m.FileName));
        Assert.Equal(catalog.Select(m => m.Version).Order(), catalog.Select(m => m.Version));
        Assert.All(catalog, m =>
        {
            var onDisk = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "sql", folder, m.FileName));
            Assert.Equal(MigrationCatalog.Checksum(onDisk), m.Checksum);
        });
    }

    [Fact]
    public void A_checksum_ignores_line_endings_but_not_content()
    {
        Assert.Equal(MigrationCatalog.Checksum("CREATE TABLE t (x int);\nSELECT 1;\n"), MigrationCatalog.Checksum("CREATE TABLE t (x int);\r\nSELECT 1;\r\n"));
        Assert.NotEqual(MigrationCatalog.Checksum("CREATE TABLE t (x int);"), MigrationCatalog.Checksum("CREATE TABLE t (x bigint);"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", MigrationCatalog.Checksum(""));
    }
}
