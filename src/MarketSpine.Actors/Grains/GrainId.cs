namespace MarketSpine.Actors.Grains;

/// <summary>
/// The identity of a grain: its type name (see <see cref="GrainTypeAttribute"/>) and its key.
/// It names the grain in storage, reminders and the directory, so it must stay stable.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
