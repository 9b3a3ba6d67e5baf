namespace MarketSpine.Actors.Runtime;

/// <summary>
/// The request (or timer tick) whose code is running now, flowing through awaits. A call made
/// from grain code takes it as its parent, which gives every message its call chain: the runtime
/// walks that chain to detect a deadlock the moment a cycle forms.
/// </summary>
internal static class RuntimeContext
{
    private static readonly AsyncLocal<Message?> CurrentMessage = new();

    public static Message? Current
    {
        get => CurrentMessage.Value;
        set => CurrentMessage.Value = value;
    }
}
