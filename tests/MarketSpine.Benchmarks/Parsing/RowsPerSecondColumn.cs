using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MarketSpine.Benchmarks.Parsing;

/// <summary>
/// Rows per second on one thread. The parse benchmarks set OperationsPerInvoke to their row
/// count, so BenchmarkDotNet's Mean is already per row and this is just 1 s / Mean.
/// </summary>
public sealed class RowsPerSecondColumn : IColumn
{
    public static readonly RowsPerSecondColumn Instance = new();

    private RowsPerSecondColumn()
    {
    }

    public string Id => nameof(RowsPerSecondColumn);

    public string ColumnName => "Rows/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Rows parsed per second, single thread (1 s / Mean; Mean is per row)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is > 0 ? (1e9 / mean.Value).ToString("N0", CultureInfo.InvariantCulture) : "NA";
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
