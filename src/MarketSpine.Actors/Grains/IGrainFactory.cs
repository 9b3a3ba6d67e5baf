namespace MarketSpine.Actors.Grains;

/// <summary>
/// Hands out references to grains. A reference is cheap and never activates anything by itself;
/// the first call activates the grain wherever the runtime places it.
/// </summary>
public interface IGrainFactory
{
    /// <summary>
    /// A reference to the grain with <paramref name="key"/> whose class implements
    /// <typeparamref name="TGrainInterface"/>. Exactly one registered grain class may implement it.
    /// </summary>
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey;
}
