using System.Reflection;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Runtime;

/// <summary>The silo's <see cref="IGrainFactory"/>: builds proxies whose calls go through the silo's router.</summary>
internal sealed class GrainFactory(SiloRuntime runtime) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        var grainClass = runtime.Registry.ForInterface(typeof(TGrainInterface));
        return GetGrain<TGrainInterface>(grainClass, key);
    }

    /// <summary>A reference through the grain interface <paramref name="grainInterface"/> (how references arrive from other processes).</summary>
    public object GetGrain(Type grainInterface, string key)
    {
        var grainClass = runtime.Registry.ForInterface(grainInterface);
        var proxy = DispatchProxy.Create(grainInterface, typeof(GrainProxy));
        ((GrainProxy)proxy).Initialize(runtime, grainClass, new GrainId(grainClass.TypeName, key));
        return proxy;
    }

    /// <summary>A reference through <typeparamref name="TGrainInterface"/> to a grain of a known class (reminders use it for <see cref="Reminders.IRemindable"/>).</summary>
    public TGrainInterface GetGrain<TGrainInterface>(GrainClass grainClass, string key)
        where TGrainInterface : IGrain
    {
        var proxy = DispatchProxy.Create<TGrainInterface, GrainProxy>();
        ((GrainProxy)(object)proxy).Initialize(runtime, grainClass, new GrainId(grainClass.TypeName, key));
        return proxy;
    }
}
