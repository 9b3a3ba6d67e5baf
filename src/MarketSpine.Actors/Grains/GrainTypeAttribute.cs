namespace MarketSpine.Actors.Grains;

/// <summary>
/// Names a grain class's type in <see cref="GrainId"/>. Without it the class's name is used, so a
/// rename would orphan the grain's stored state and reminders: pin the name on grains that persist.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
