namespace MarketSpine.Actors.Grains;

/// <summary>A grain addressed by a string key: <c>factory.GetGrain&lt;IMyGrain&gt;("key")</c>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1040:Avoid empty interfaces",
    Justification = "A marker, as in Orleans: the key kind is part of the interface's contract.")]
public interface IGrainWithStringKey : IGrain;
