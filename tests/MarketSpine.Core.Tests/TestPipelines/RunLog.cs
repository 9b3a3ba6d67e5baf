namespace MarketSpine.Core.Tests.TestPipelines;

/// <summary>A service the test pipelines take from DI, recording which executions actually ran.</summary>
public sealed class RunLog
{
    public List<string> Runs { get; } = [];
}
