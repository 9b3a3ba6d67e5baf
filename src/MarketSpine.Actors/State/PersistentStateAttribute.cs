namespace MarketSpine.Actors.State;

/// <summary>
/// On a grain constructor parameter of type <see cref="IPersistentState{TState}"/>: the state's name
/// (unique within the grain class) and the storage provider that keeps it (<c>"Default"</c> unless named).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public const string DefaultStorage = "Default";

    public string StateName { get; } = stateName;

    public string StorageName { get; } = storageName ?? DefaultStorage;
}
