using System.Security.Cryptography;

namespace MarketSpine.Core.Execution;

/// <summary>
/// Execution ids: <c>exec_</c>, 12 hex digits of UTC milliseconds, 8 random hex digits. Sorting
/// ids sorts by creation time, which keeps the primary key index append-only.
/// </summary>
public static class ExecutionIds
{
    public static string New(DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[4];
        RandomNumberGenerator.Fill(random);
        return $"exec_{now.ToUnixTimeMilliseconds():x12}{Convert.ToHexStringLower(random)}";
    }
}
