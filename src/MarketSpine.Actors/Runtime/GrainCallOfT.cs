using System.Text.Json;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// A call to a grain method. The caller awaits <see cref="Task"/>; the callee's activation runs
/// it as one request. Continuations of a caller in this process run asynchronously, never inline
/// on the callee's turn: an inline continuation would run the caller's code on the callee's thread
/// (and, for a caller outside any grain, with the callee's synchronization context). For a
/// <see cref="GrainCall.RemoteCaller"/> the continuation is the runtime's own: it encodes the answer
/// and hands it to the transport without waiting, so it runs where the answer is given. That spares
/// every remote call a hop through the thread pool before its answer leaves, and encodes a result
/// (which is not copied for a remote caller) before the grain's next turn can change it.
/// </summary>
internal sealed class GrainCall<TResult>(GrainMethod<TResult> method, GrainId grain, object?[] arguments, CallLink? parent, long sentAt, long deadline, bool remoteCaller)
    : GrainCall(method, grain, arguments, parent, sentAt, deadline, remoteCaller)
{
    private readonly TaskCompletionSource<TResult> _completion =
        new(remoteCaller ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);

    // 1 once an answer (result, error or timeout) is chosen. Metrics are recorded before the caller
    // is released, so a caller that reads the statistics after its call sees the call counted.
    private int _answered;

    public Task<TResult> Task => _completion.Task;

    public override bool IsCompleted => Volatile.Read(ref _answered) == 1;

    public override void Start() => _ = RunAsync(Target!);

    public override bool TryFail(Exception exception)
    {
        if (!Claim())
        {
            return false;
        }

        var runtime = Method.Class.Runtime;
        runtime.Metrics.RecordCall(Method, outcome: "error", runtime.Time.GetElapsedTime(SentAt));
        Complete(default, exception);
        return true;
    }

    public override void Expire(string detail)
    {
        var runtime = Method.Class.Runtime;
        var exception = new GrainCallTimeoutException(
            $"The call {Describe()} got no answer within {Method.Timeout}. {detail}");
        if (Claim())
        {
            runtime.Metrics.RecordCall(Method, outcome: "timeout", runtime.Time.GetElapsedTime(SentAt));
            Complete(default, exception);
        }
    }

    public override bool TryAnswer(JsonElement? result, JsonSerializerOptions options, GrainAddress? answeredBy)
    {
        var value = result is { } json ? json.Deserialize<TResult>(options)! : default!;
        if (!Claim())
        {
            return false;
        }

        AnsweredBy = answeredBy;
        var runtime = Method.Class.Runtime;
        runtime.Metrics.RecordCall(Method, outcome: "ok", runtime.Time.GetElapsedTime(SentAt));
        Complete(value, null);
        return true;
    }

    public override async Task<object?> AnswerAsync() => await Task;

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
        var method = (GrainMethod<TResult>)Method;
        TResult result;
        Exception? error = null;
        try
        {
            result = await method.Invoke(activation.Instance!, Arguments);
            if (!RemoteCaller)
            {
                result = method.CopyResult(runtime.Copier, result);
            }
        }
        catch (Exception exception)
        {
            result = default!;
            error = exception;
            if (exception is InconsistentStateException)
            {
                activation.RequestDeactivation(DeactivationReason.InconsistentState);
            }
        }

        activation.OnCompleted(this);
        if (!Claim())
        {
            return;
        }

        AnsweredBy = activation.Address;
        runtime.Metrics.RecordCall(Method, error is null ? "ok" : "error", runtime.Time.GetElapsedTime(SentAt));
        Complete(result, error);
    }

    /// <summary>
    /// Answers the caller. A remote caller's continuation runs inline here (see the class summary), so it
    /// runs without the synchronization context of the thread that answers (a grain's turn has its
    /// activation's scheduler): an await in the answer's way out must not resume in the grain's mailbox.
    /// </summary>
    private void Complete(TResult? result, Exception? error)
    {
        var context = SynchronizationContext.Current;
        var clear = RemoteCaller && context is not null;
        if (clear)
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }

        try
        {
            if (error is null)
            {
                _completion.SetResult(result!);
            }
            else
            {
                _completion.SetException(error);
            }
        }
        finally
        {
            if (clear)
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        }
    }

    private bool Claim() => Interlocked.Exchange(ref _answered, 1) == 0;
}
