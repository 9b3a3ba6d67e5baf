using Xunit;

namespace MarketSpine.Testing;

/// <summary>
/// A test that reads the real FINRA files in ../shared/data/finra. A user's clone has no
/// ../shared, so there it is skipped with a clear message; in CI it always runs.
/// </summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (TestEnvironment.FinraDataDirectory is null && !TestEnvironment.IsCi)
        {
            Skip = "Needs the real FINRA sample files in ../shared/data/finra beside the repository (absent in this clone).";
        }
    }
}
