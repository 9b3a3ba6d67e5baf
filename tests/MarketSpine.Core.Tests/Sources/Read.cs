using MarketSpine.Core.Sources;

namespace MarketSpine.Core.Tests.Sources;

internal static class Read
{
    public static async Task<List<SourceRecord>> AllAsync(ISource<SourceRecord> source, CancellationToken cancellationToken = default)
    {
        var records = new List<SourceRecord>();
        await foreach (var record in source.ReadAsync(cancellationToken))
        {
            records.Add(record);
        }

        return records;
    }
}
