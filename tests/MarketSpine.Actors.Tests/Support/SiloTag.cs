namespace MarketSpine.Actors.Tests.Support;

/// <summary>Tells a test grain which silo of a <see cref="TestCluster"/> it runs on.</summary>
public sealed record SiloTag(string Name);
