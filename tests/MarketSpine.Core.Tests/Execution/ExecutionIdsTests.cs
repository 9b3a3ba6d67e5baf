using System.Text.RegularExpressions;
using MarketSpine.Core.Execution;

namespace MarketSpine.Core.Tests.Execution;

public sealed partial class ExecutionIdsTests
{
    [GeneratedRegex("^exec_[0-9a-f]{12}[0-9a-f]{8}$")]
    private static partial Regex IdShape();

    [Fact]
    public void Id_is_exec_then_12_hex_digits_of_utc_milliseconds_then_8_random_hex_digits()
    {
        var at = new DateTimeOffset(2024, 1, 8, 21, 30, 0, 123, TimeSpan.FromHours(-5));

        var id = ExecutionIds.New(at);

        Assert.Matches(IdShape(), id);
        Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(id[5..17], 16));
    }

    [Fact]
    public void Ids_sort_by_creation_time_as_plain_strings()
    {
        // Includes a carry across hex digits (0x...fff → 0x...000) and a jump of decades.
        var start = DateTimeOffset.FromUnixTimeMilliseconds(0x18c_ee6f_ffff);
        DateTimeOffset[] times = [start, start.AddMilliseconds(1), start.AddSeconds(1), start.AddDays(1), start.AddYears(30)];

        var ids = times.Select(ExecutionIds.New).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_made_in_the_same_millisecond_still_differ()
    {
        var at = DateTimeOffset.UnixEpoch.AddYears(54);

        var ids = Enumerable.Range(0, 100).Select(_ => ExecutionIds.New(at)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(100, ids.Count);
    }
}
