namespace MarketSpine.Core.Execution;

/// <summary>An execution to store for the first time, with its first events (see <see cref="IExecutionStore.CreateAllAsync"/>).</summary>
public sealed record NewExecution(ExecutionRecord Record, IReadOnlyList<ExecutionEvent> Events);
