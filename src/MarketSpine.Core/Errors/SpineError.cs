namespace MarketSpine.Core.Errors;

/// <summary>
/// Base of every expected failure: it carries a stable <see cref="Code"/> and structured
/// <see cref="Details"/> so a run's result, the CLI and the API report the same thing.
/// Anything that is not a <see cref="SpineError"/> is a bug and is reported as <c>INTERNAL</c>.
/// </summary>
public abstract class SpineError : Exception
{
    protected SpineError(string code, string message, IReadOnlyDictionary<string, object?>? details = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Details = details ?? new Dictionary<string, object?>();
    }

    public string Code { get; }

    public IReadOnlyDictionary<string, object?> Details { get; }

    public ErrorInfo ToInfo() => new(Code, Message, Details);

    /// <summary>The error info of any exception: expected ones keep their code, others become INTERNAL.</summary>
    public static ErrorInfo Describe(Exception exception) => exception switch
    {
        SpineError spine => spine.ToInfo(),
        OperationCanceledException => ErrorInfo.Of(ErrorCodes.Cancelled, "The execution was cancelled."),
        _ => new ErrorInfo(ErrorCodes.Internal, exception.Message, new Dictionary<string, object?> { ["type"] = exception.GetType().Name }),
    };
}
