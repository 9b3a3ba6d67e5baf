using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Hosting;

/// <summary>
/// How code outside grains (the API, the CLI) calls grains: the same <see cref="IGrainFactory.GetGrain{TGrainInterface}"/>.
/// In this slice the client runs in the silo's process; a remote client over the transport keeps this contract.
/// </summary>
public interface IClusterClient : IGrainFactory;
