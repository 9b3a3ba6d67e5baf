using System.Reflection;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Runtime;

/// <summary>The silo's <see cref="IGrainFactory"/>: builds proxies over the local catalog.</summary>
internal sealed class GrainFactory(SiloRuntime runtime) : IGrainFactory
{
    private static readonly MethodInfo CreateProxy = typeof(DispatchProxy)
        .GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Single(m => m.Name == nameof(DispatchProxy.Create) && m.IsGenericMethodDefinition);

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        var grainClass = runtime.Registry.ForInterface(typeof(TGrainInterface));
        return GetGrain<TGrainInterface>(grainClass, key);
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
