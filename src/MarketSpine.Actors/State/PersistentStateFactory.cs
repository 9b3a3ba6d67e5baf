using System.Reflection;
using System.Text.Json;
using MarketSpine.Actors.Runtime;

namespace MarketSpine.Actors.State;

/// <summary>Plans, at registration, how a grain constructor gets each of its persistent states.</summary>
internal static class PersistentStateFactory
{
    public static Func<Activation, object> Plan(ParameterInfo parameter, PersistentStateAttribute attribute, IGrainStorage storage, JsonSerializerOptions options)
    {
        var type = parameter.ParameterType;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IPersistentState<>))
        {
            throw new ArgumentException(
                $"[PersistentState] parameter '{parameter.Name}' of {parameter.Member.DeclaringType} must be an IPersistentState<T>, not {type}.");
        }

        var stateType = type.GetGenericArguments()[0];
        if (!stateType.IsValueType && stateType.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new ArgumentException(
                $"State type {stateType} of {parameter.Member.DeclaringType} needs a public parameterless constructor: it is the state of a grain with nothing stored.");
        }

        var implementation = typeof(PersistentState<>).MakeGenericType(stateType);
        return activation =>
        {
            var key = new GrainStateKey(activation.Id.Type, attribute.StateName, activation.Id.Key);
            var state = Activator.CreateInstance(implementation, activation, key, storage, options)!;
            activation.AddComponent((IActivationComponent)state);
            return state;
        };
    }
}
