namespace MarketSpine.Grains.LogicalKeys;

/// <summary>A logical key's persisted state: who holds it since when, and who waits, in order.</summary>
public sealed class LogicalKeyState
{
    public string? Holder { get; set; }

    public DateTimeOffset? HeldSince { get; set; }

    public List<string> Waiters { get; set; } = [];
}
