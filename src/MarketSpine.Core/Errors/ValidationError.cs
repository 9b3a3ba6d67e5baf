namespace MarketSpine.Core.Errors;

/// <summary>
/// Input was rejected before anything ran or was stored. Lists every problem at once, so a user
/// fixes a command line in one go rather than one complaint per attempt.
/// </summary>
public sealed class ValidationError : SpineError
{
    public ValidationError(string message, IReadOnlyList<ValidationProblem> problems)
        : base(ErrorCodes.ValidationFailed, message, new Dictionary<string, object?> { ["problems"] = problems })
    {
        Problems = problems;
    }

    public ValidationError(ValidationProblem problem)
        : this(problem.Message, [problem])
    {
    }

    public IReadOnlyList<ValidationProblem> Problems { get; }

    public static ValidationError FromProblems(IReadOnlyList<ValidationProblem> problems) =>
        new(problems.Count == 1 ? problems[0].Message : $"{problems.Count} problems: " + string.Join("; ", problems.Select(p => p.Message)), problems);
}

/// <summary>One thing wrong with the input: which field, a stable code, and what to do about it.</summary>
public sealed record ValidationProblem(string Field, string Code, string Message);
