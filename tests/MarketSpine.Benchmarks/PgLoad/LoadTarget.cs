namespace MarketSpine.Benchmarks.PgLoad;

/// <summary>
/// A table the week bulk-loads, with its row count and our ways of loading it; the first path
/// also writes psql's CSV input (through <see cref="CsvDivertingDatabase"/>).
/// </summary>
public sealed record LoadTarget(string Table, int Rows, IReadOnlyList<LoadPath> Paths);
