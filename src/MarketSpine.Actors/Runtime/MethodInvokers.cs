using System.Linq.Expressions;
using System.Reflection;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// Compiles, once per method, a delegate <c>(grain, args) =&gt; ((IFoo)grain).Method((T0)args[0], ...)</c>
/// that adapts the four return shapes to one <see cref="ValueTask{TResult}"/>. A compiled
/// expression costs a virtual call where <c>MethodInfo.Invoke</c> costs
/// argument validation and an extra array on every call.
/// </summary>
internal static class MethodInvokers
{
    public static Func<object, object?[], ValueTask<TResult>> Build<TResult>(MethodInfo interfaceMethod, ReturnKind returnKind)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = interfaceMethod.GetParameters();
        var call = Expression.Call(
            Expression.Convert(grain, interfaceMethod.DeclaringType!),
            interfaceMethod,
            parameters.Select((p, i) => Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType)));
        Expression body = returnKind switch
        {
            ReturnKind.TaskOfResult => Expression.New(typeof(ValueTask<TResult>).GetConstructor([typeof(Task<TResult>)])!, call),
            ReturnKind.ValueTaskOfResult => call,
            ReturnKind.Task => Expression.Call(typeof(MethodInvokers).GetMethod(nameof(FromTask), BindingFlags.NonPublic | BindingFlags.Static)!, call),
            _ => Expression.Call(typeof(MethodInvokers).GetMethod(nameof(FromValueTask), BindingFlags.NonPublic | BindingFlags.Static)!, call),
        };
        return Expression.Lambda<Func<object, object?[], ValueTask<TResult>>>(body, grain, arguments).Compile();
    }

    private static ValueTask<object?> FromTask(Task task) =>
        task.IsCompletedSuccessfully ? new ValueTask<object?>((object?)null) : AwaitTask(task);

    private static ValueTask<object?> FromValueTask(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            return AwaitValueTask(task);
        }

        // Consumes the result, which returns a pooled IValueTaskSource to its pool.
        task.GetAwaiter().GetResult();
        return new ValueTask<object?>((object?)null);
    }

    private static async ValueTask<object?> AwaitTask(Task task)
    {
        await task;
        return null;
    }

    private static async ValueTask<object?> AwaitValueTask(ValueTask task)
    {
        await task;
        return null;
    }
}
