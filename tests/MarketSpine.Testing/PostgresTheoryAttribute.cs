using Xunit;

namespace MarketSpine.Testing;

/// <summary>The theory form of <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (TestEnvironment.PostgresAdminConnectionString is null && !TestEnvironment.IsCi)
        {
            Skip = "Needs PostgreSQL: run through scripts/test.sh (or scripts/with-postgres.sh dotnet test ...).";
        }
    }
}
