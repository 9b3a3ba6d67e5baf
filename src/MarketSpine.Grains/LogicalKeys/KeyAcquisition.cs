namespace MarketSpine.Grains.LogicalKeys;

/// <summary>What asking for a logical key got: the key, a place in its queue, or nothing (skipped or rejected, with the holder).</summary>
public sealed record KeyAcquisition(KeyAcquisitionResult Result, string? Holder, int Position);
