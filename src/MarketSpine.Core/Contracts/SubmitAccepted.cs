namespace MarketSpine.Core.Contracts;

/// <summary>The answer of an accepted submission (202): where to follow it.</summary>
public sealed record SubmitAccepted(string ExecutionId, string Status, string PollUrl, string EventsUrl, string LogsUrl)
{
    public static SubmitAccepted For(string executionId, string status) =>
        new(executionId, status, ExecutionLinks.Self(executionId), ExecutionLinks.Events(executionId), ExecutionLinks.Logs(executionId));
}
