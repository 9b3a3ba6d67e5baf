using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Queries;

/// <summary>Rows read from one capture, with the capture itself so every answer says where it came from.</summary>
public sealed record CapturePage<T>(Capture Capture, IReadOnlyList<T> Rows, long TotalRows);
