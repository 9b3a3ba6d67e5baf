using MarketSpine.Actors.Errors;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// A call to a grain method. The caller awaits <see cref="Task"/>; the callee's activation runs
/// it as one request. Continuations of the caller run asynchronously, never inline on the
/// callee's turn: an inline continuation would run the caller's code on the callee's thread
/// (and, for a caller outside any grain, with the callee's synchronization context).
/// </summary>
internal sealed class GrainCall<TResult>(GrainMethod<TResult> method, object?[] arguments, Message? parent, long sentAt, long deadline)
    : Message(parent, sentAt, deadline)
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // 1 once an answer (result, error or timeout) is chosen. Metrics are recorded before the caller
    // is released, so a caller that reads the statistics after its call sees the call counted.
    private int _answered;

    public Task<TResult> Task => _completion.Task;

    public GrainMethod<TResult> Method { get; } = method;

    public override bool IsReadOnly => Method.IsReadOnly;

    public override bool AlwaysInterleave => Method.AlwaysInterleave;

    public override bool KeepsAlive => true;

    public override bool IsCompleted => Volatile.Read(ref _answered) == 1;

    public override string Describe() => $"{Target?.Id.ToString() ?? Method.Class.TypeName}.{Method.Name}";

    public override void Start() => _ = RunAsync(Target!);

    public override bool TryFail(Exception exception)
    {
        if (!TryAnswer())
        {
            return false;
        }

        Method.Class.Runtime.Metrics.RecordCall(Method, outcome: "error", Method.Class.Runtime.Time.GetElapsedTime(SentAt));
        _completion.SetException(exception);
        return true;
    }

    public override void Expire(string detail)
    {
        var runtime = Method.Class.Runtime;
        var exception = new GrainCallTimeoutException(
            $"The call {Describe()} got no answer within {Method.Timeout}. {detail}");
        if (TryAnswer())
        {
            runtime.Metrics.RecordCall(Method, outcome: "timeout", runtime.Time.GetElapsedTime(SentAt));
            _completion.SetException(exception);
        }
    }

    private async Task RunAsync(Activation activation)
    {
        var runtime = activation.Runtime;
        if (IsCompleted)
        {
            // Timed out while it waited: the caller is gone, so the grain does not run it.
            activation.OnCompleted(this);
            return;
        }

        RuntimeContext.Current = this;
        TResult result;
        Exception? error = null;
        try
        {
            result = Method.CopyResult(runtime.Copier, await Method.Invoke(activation.Instance!, Arguments));
        }
        catch (Exception exception)
        {
            result = default!;
            error = exception;
            if (exception is InconsistentStateException)
            {
                activation.RequestDeactivation(Grains.DeactivationReason.InconsistentState);
            }
        }

        activation.OnCompleted(this);
        if (!TryAnswer())
        {
            return;
        }

        runtime.Metrics.RecordCall(Method, error is null ? "ok" : "error", runtime.Time.GetElapsedTime(SentAt));
        if (error is null)
        {
            _completion.SetResult(result);
        }
        else
        {
            _completion.SetException(error);
        }
    }

    private bool TryAnswer() => Interlocked.Exchange(ref _answered, 1) == 0;

    private object?[] Arguments { get; } = arguments;
}
