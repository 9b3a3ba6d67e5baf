using Xunit;

namespace MarketSpine.Testing;

/// <summary>
/// A test that needs the throwaway PostgreSQL of scripts/with-postgres.sh. Outside that script it
/// is skipped with a message saying how to run it; in CI it is never skipped, so a missing
/// database fails the build instead of passing silently (Npgsql's rule).
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestEnvironment.PostgresAdminConnectionString is null && !TestEnvironment.IsCi)
        {
            Skip = "Needs PostgreSQL: run through scripts/test.sh (or scripts/with-postgres.sh dotnet test ...).";
        }
    }
}
