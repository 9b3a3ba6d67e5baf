namespace MarketSpine.Core.Contracts;

/// <summary>The URLs of an execution's resources.</summary>
public static class ExecutionLinks
{
    public static string Self(string executionId) => $"/v1/executions/{Uri.EscapeDataString(executionId)}";

    public static string Events(string executionId) => $"{Self(executionId)}/events";

    public static string Logs(string executionId) => $"{Self(executionId)}/logs";
}
