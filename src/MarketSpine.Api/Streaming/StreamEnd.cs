namespace MarketSpine.Api.Streaming;

/// <summary>The last message of a stream (<c>event: end</c>): the execution ended, and how.</summary>
public sealed record StreamEnd(string ExecutionId, string Status);
