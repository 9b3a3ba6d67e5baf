using Xunit;

namespace MarketSpine.Testing;

/// <summary>
/// A test that needs several outside parts at once (PostgreSQL and the shared FINRA files, say).
/// Skipped locally with a message naming what is missing; never skipped in CI. The skip reason
/// is computed when read, because attribute properties are set after the constructor runs.
/// </summary>
public sealed class SpineFactAttribute : FactAttribute
{
    private string? _explicitSkip;

    public bool Postgres { get; init; }

    public bool SharedData { get; init; }

    public override string? Skip
    {
        get
        {
            if (_explicitSkip is not null || TestEnvironment.IsCi)
            {
                return _explicitSkip;
            }

            var missing = new List<string>();
            if (Postgres && TestEnvironment.PostgresAdminConnectionString is null)
            {
                missing.Add("PostgreSQL (run through scripts/test.sh)");
            }

            if (SharedData && TestEnvironment.FinraDataDirectory is null)
            {
                missing.Add("the FINRA sample files in ../shared/data/finra");
            }

            return missing.Count == 0 ? null : "Needs " + string.Join(" and ", missing) + ".";
        }
        set => _explicitSkip = value;
    }
}
