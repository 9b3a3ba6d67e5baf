using System.Reflection;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// Checks a grain interface method and tells how it returns: one of the four task shapes, and the
/// result type (<see cref="object"/>, always null, for a bare task). Silos and clients use the same rules.
/// </summary>
internal static class GrainMethodShape
{
    public static (ReturnKind Kind, Type Result) Of(MethodInfo method)
    {
        if (method.IsGenericMethodDefinition || method.GetParameters().Any(p => p.ParameterType.IsByRef))
        {
            throw new ArgumentException($"Grain method {method.DeclaringType}.{method.Name} may not be generic or take ref/out parameters.");
        }

        var returnType = method.ReturnType;
        return returnType switch
        {
            _ when returnType == typeof(Task) => (ReturnKind.Task, typeof(object)),
            _ when returnType == typeof(ValueTask) => (ReturnKind.ValueTask, typeof(object)),
            { IsGenericType: true } when returnType.GetGenericTypeDefinition() == typeof(Task<>) => (ReturnKind.TaskOfResult, returnType.GetGenericArguments()[0]),
            { IsGenericType: true } when returnType.GetGenericTypeDefinition() == typeof(ValueTask<>) => (ReturnKind.ValueTaskOfResult, returnType.GetGenericArguments()[0]),
            _ => throw new ArgumentException(
                $"Grain method {method.DeclaringType}.{method.Name} returns {returnType}; grain methods return Task, Task<T>, ValueTask or ValueTask<T>."),
        };
    }
}
