using System.Reflection;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Client;

/// <summary>
/// The reference behind a <see cref="RemoteClusterClient"/>'s <c>GetGrain&lt;T&gt;(key)</c>: each call
/// goes to a gateway silo, which routes it. A client knows grain interfaces, not grain classes, so a
/// reference is named by its interface and key. Two references to the same grain are equal.
/// </summary>
public class ClientGrainProxy : DispatchProxy, IGrainReference
{
    /// <summary>The grain interface this reference was made for.</summary>
    public Type Interface { get; private set; } = null!;

    /// <summary>The grain's key.</summary>
    public string Key { get; private set; } = null!;

    internal RemoteClusterClient Client { get; private set; } = null!;

    public override bool Equals(object? obj) => obj is ClientGrainProxy other && other.Interface == Interface && other.Key == Key;

    public override int GetHashCode() => HashCode.Combine(Interface, Key);

    public override string ToString() => $"{Interface.Name}/{Key}";

    internal void Initialize(RemoteClusterClient client, Type grainInterface, string key)
    {
        Client = client;
        Interface = grainInterface;
        Key = key;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return Client.MethodOf(targetMethod).Send(this, args ?? []);
    }
}
