using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Hosting;

/// <summary>
/// How code outside grains (the API, the CLI) calls grains: the same <see cref="IGrainFactory.GetGrain{TGrainInterface}"/>.
/// In a silo's process it calls through the silo (<c>AddMarketSpineActors</c>); elsewhere
/// <see cref="Client.RemoteClusterClient"/> calls through gateway silos (<c>AddMarketSpineClient</c>).
/// </summary>
public interface IClusterClient : IGrainFactory;
