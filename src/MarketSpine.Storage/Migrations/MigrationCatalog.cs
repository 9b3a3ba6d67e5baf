using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MarketSpine.Core.Data;

namespace MarketSpine.Storage.Migrations;

/// <summary>The migration scripts embedded in this assembly, per dialect, in version order.</summary>
public static partial class MigrationCatalog
{
    public static IReadOnlyList<Migration> For(SqlDialect dialect)
    {
        var prefix = $"sql/{DirectoryOf(dialect)}/";
        var assembly = typeof(MigrationCatalog).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration file '{fileName}' must be named NNN_lower_snake_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd();
            migrations.Add(new Migration(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, sql, Checksum(sql)));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two {dialect} migrations share version {duplicate.Key:000}: {string.Join(", ", duplicate.Select(m => m.FileName))}.");
        }

        return [.. migrations.OrderBy(m => m.Version)];
    }

    /// <summary>
    /// SHA-256 of the script with line endings normalised, so a checkout with CRLF endings does not
    /// look like an edited migration.
    /// </summary>
    public static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.Replace("\r\n", "\n", StringComparison.Ordinal))));

    private static string DirectoryOf(SqlDialect dialect) => dialect switch
    {
        SqlDialect.Sqlite => "sqlite",
        SqlDialect.Postgres => "postgres",
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, null),
    };

    [GeneratedRegex(@"^(?<version>\d{3})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
