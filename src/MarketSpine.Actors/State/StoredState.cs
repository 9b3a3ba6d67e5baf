namespace MarketSpine.Actors.State;

/// <summary>A stored state: its JSON and its ETag.</summary>
public sealed record StoredState(string Json, string Etag);
