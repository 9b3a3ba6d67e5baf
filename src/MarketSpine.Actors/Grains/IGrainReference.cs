namespace MarketSpine.Actors.Grains;

/// <summary>A grain reference of any kind (a silo's or a client's): what a reference is written as on the wire.</summary>
internal interface IGrainReference
{
    string Key { get; }
}
