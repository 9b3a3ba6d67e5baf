namespace MarketSpine.Actors.Directory;

/// <summary>
/// Names one incarnation of a silo: its name and the generation it started with, so a restarted
/// silo is a different address and its predecessor's directory rows can be told apart. The network
/// endpoint joins this record with the transport.
/// </summary>
public sealed record SiloAddress(string Name, long Generation)
{
    public override string ToString() => $"{Name}@{Generation}";
}
