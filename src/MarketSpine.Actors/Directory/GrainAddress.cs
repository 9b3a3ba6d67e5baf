using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Directory;

/// <summary>Where one activation of a grain lives: the grain, its silo and the activation's own id.</summary>
public sealed record GrainAddress(GrainId Grain, SiloAddress Silo, Guid ActivationId);
