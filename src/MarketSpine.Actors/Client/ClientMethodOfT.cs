using System.Reflection;
using MarketSpine.Actors.Runtime;

namespace MarketSpine.Actors.Client;

/// <summary>A <see cref="ClientMethod"/> whose result type is known, so results come back typed.</summary>
internal sealed class ClientMethod<TResult>(MethodInfo interfaceMethod, ReturnKind returnKind, TimeSpan defaultTimeout)
    : ClientMethod(interfaceMethod, returnKind, defaultTimeout)
{
    public override object Send(ClientGrainProxy target, object?[] arguments)
    {
        var call = target.Client.CallAsync<TResult>(this, target.Key, arguments);
        return ReturnKind switch
        {
            ReturnKind.Task or ReturnKind.TaskOfResult => call,
            ReturnKind.ValueTask => new ValueTask(call),
            _ => new ValueTask<TResult>(call),
        };
    }
}
