namespace MarketSpine.Testing;

/// <summary>
/// Where the test run's outside parts are: the throwaway PostgreSQL that scripts/with-postgres.sh
/// starts, and the shared FINRA sample files beside the repository. In CI (CI=true) both must be
/// there: a test that needs them fails instead of skipping.
/// </summary>
public static class TestEnvironment
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The admin connection string of the test cluster, or null outside scripts/with-postgres.sh.</summary>
    public static string? PostgresAdminConnectionString => Environment.GetEnvironmentVariable("SPINE_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    /// <summary>The repository root: the nearest directory above the test binaries holding MarketSpine.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary><c>../shared/data/finra</c> from the repository root, or null when a clone has no shared folder.</summary>
    public static string? FinraDataDirectory
    {
        get
        {
            var dir = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "finra"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>The path of a shared FINRA file; throws (rather than skips) when it is missing.</summary>
    public static string FinraFile(string name)
    {
        var dir = FinraDataDirectory ?? throw new InvalidOperationException(
            "../shared/data/finra is missing beside the repository; tests that need it are marked [SharedDataFact].");
        var path = Path.Combine(dir, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Shared FINRA file {path} is missing.", path);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MarketSpine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No MarketSpine.sln above {AppContext.BaseDirectory}.");
    }
}
