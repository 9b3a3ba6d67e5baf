using System.Reflection;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// A <see cref="GrainMethod"/> whose result type is known: the call's completion source is typed,
/// so results are not boxed on the way back. Methods returning a bare <see cref="Task"/> or
/// <see cref="ValueTask"/> use <see cref="object"/> and answer null.
/// </summary>
internal sealed class GrainMethod<TResult> : GrainMethod
{
    private readonly bool _copyResult;

    public GrainMethod(GrainClass grainClass, MethodInfo interfaceMethod, ReturnKind returnKind, TimeSpan timeout)
        : base(grainClass, interfaceMethod, returnKind, timeout)
    {
        Invoke = MethodInvokers.Build<TResult>(interfaceMethod, returnKind);
        _copyResult = returnKind is ReturnKind.TaskOfResult or ReturnKind.ValueTaskOfResult
                      && !Immutability.IsImmutableForAnyValue(typeof(TResult));
    }

    /// <summary>Calls the method on a grain instance.</summary>
    public Func<object, object?[], ValueTask<TResult>> Invoke { get; }

    public override object Send(GrainProxy target, object?[] arguments)
    {
        var runtime = target.Runtime;
        CopyArguments(runtime.Copier, arguments);
        var now = runtime.Time.GetTimestamp();
        var call = new GrainCall<TResult>(this, target.GrainId, arguments, RuntimeContext.Current, now, now + runtime.ToTimestampTicks(Timeout), remoteCaller: false);
        target.Deliver(call);
        return ReturnKind switch
        {
            ReturnKind.Task or ReturnKind.TaskOfResult => call.Task,
            ReturnKind.ValueTask => new ValueTask(call.Task),
            _ => new ValueTask<TResult>(call.Task),
        };
    }

    public override Type ResultType => typeof(TResult);

    public override GrainCall CreateCall(GrainId grain, object?[] arguments, CallLink? parent, long deadline) =>
        new GrainCall<TResult>(this, grain, arguments, parent, Class.Runtime.Time.GetTimestamp(), deadline, remoteCaller: true);

    public TResult CopyResult(ArgumentCopier copier, TResult result) =>
        _copyResult ? (TResult)copier.Copy(result)! : result;
}
