using MarketSpine.Core.Pipelines;

namespace MarketSpine.Core.Tests.Pipelines;

public sealed class ExecutionStatusTextTests
{
    public static TheoryData<ExecutionStatus, string> Spellings => new()
    {
        { ExecutionStatus.Pending, "pending" },
        { ExecutionStatus.Queued, "queued" },
        { ExecutionStatus.Running, "running" },
        { ExecutionStatus.Completed, "completed" },
        { ExecutionStatus.Failed, "failed" },
        { ExecutionStatus.Cancelling, "cancelling" },
        { ExecutionStatus.Cancelled, "cancelled" },
        { ExecutionStatus.DeadLettered, "dead_lettered" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Each_status_has_its_stored_spelling_and_parses_back(ExecutionStatus status, string text)
    {
        Assert.Equal(text, status.ToText());
        Assert.Equal(status, ExecutionStatusText.Parse(text));
        Assert.True(ExecutionStatusText.TryParse(text.ToUpperInvariant(), out var parsed));
        Assert.Equal(status, parsed);
    }

    [Fact]
    public void Every_status_is_spelled()
    {
        Assert.Equal(Enum.GetValues<ExecutionStatus>().Length, Spellings.Count);
    }

    [Theory]
    [InlineData("DeadLettered")]
    [InlineData("done")]
    [InlineData("")]
    [InlineData(" running")]
    public void Other_spellings_do_not_parse(string text)
    {
        Assert.False(ExecutionStatusText.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => ExecutionStatusText.Parse(text));
        Assert.Equal($"Unknown execution status '{text}'.", error.Message);
    }

    [Fact]
    public void Undefined_status_has_no_spelling()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ExecutionStatus)99).ToText());
    }

    [Fact]
    public void Terminal_statuses_are_completed_failed_cancelled_and_dead_lettered()
    {
        Assert.Equal(
            [ExecutionStatus.Completed, ExecutionStatus.Failed, ExecutionStatus.Cancelled, ExecutionStatus.DeadLettered],
            Enum.GetValues<ExecutionStatus>().Where(s => s.IsTerminal()));
    }
}
