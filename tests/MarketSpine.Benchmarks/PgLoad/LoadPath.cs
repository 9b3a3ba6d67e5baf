using MarketSpine.Domains.Otc.Persistence;

namespace MarketSpine.Benchmarks.PgLoad;

/// <summary>
/// One way our code loads a table: the production write it goes through, and whether it
/// writes the capture row itself (the raw load does) or needs it in place first (for the
/// foreign key), as psql's \copy always does.
/// </summary>
public sealed record LoadPath(string Name, bool InsertsCapture, Func<OtcStore, Task> LoadAsync);
