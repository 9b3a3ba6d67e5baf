using System.Globalization;
using System.Text;
using MarketSpine.Core.Errors;
using MarketSpine.Core.Sources;

namespace MarketSpine.Core.Tests.Sources;

/// <summary>
/// The sources read a 30 MB file with flat memory. A file whose end is broken proves the reader
/// stops where the caller stops (it never saw the end); forced collections mid-stream show the
/// live heap does not grow with the rows read.
/// </summary>
[Collection(LargeFiles.Name)]
public sealed class FileSourceStreamingTests : IDisposable
{
    private const int TargetBytes = 30 * 1024 * 1024;
    private const long MegaByte = 1024 * 1024;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("big.csv")]
    [InlineData("big.psv")]
    [InlineData("big.json")]
    [InlineData("big.ndjson")]
    public async Task First_record_of_a_30_MB_file_is_read_without_loading_the_rest(string name)
    {
        var path = WriteLarge(name, brokenEnd: true);
        Assert.True(new FileInfo(path).Length > TargetBytes);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        SourceRecord? first = null;
        await foreach (var record in new FileSource(path).ReadAsync(CancellationToken.None))
        {
            first = record;
            break;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.NotNull(first);
        Assert.Equal("SYM0000001", first["symbol"]);
        Assert.Equal(1, first.GetInt64("shares"));
        Assert.True(allocated < 2 * MegaByte, $"Reading one record allocated {allocated / MegaByte} MB.");
    }

    [Theory]
    [InlineData("all.csv")]
    [InlineData("all.json")]
    [InlineData("all.ndjson")]
    public async Task Reading_a_30_MB_file_to_the_end_keeps_the_live_heap_flat(string name)
    {
        var path = WriteLarge(name, brokenEnd: false);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0, count = 0, sharesSum = 0;

        await foreach (var record in new FileSource(path).ReadAsync(CancellationToken.None))
        {
            count++;
            sharesSum += record.GetInt64("shares");
            if (count % 100_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        Assert.Equal(RowsWritten(path), count);
        Assert.Equal(count * (count + 1) / 2, sharesSum);
        Assert.True(peak < 8 * MegaByte, $"The live heap grew by {peak / MegaByte} MB while reading a {new FileInfo(path).Length / MegaByte} MB file.");
    }

    [Fact]
    public async Task Broken_end_of_a_large_file_is_reported_with_its_line()
    {
        var path = WriteLarge("broken.csv", brokenEnd: true);
        var rows = RowsWritten(path);

        var error = await Assert.ThrowsAsync<SourceError>(() => CountAsync(new FileSource(path)));

        Assert.Equal(ErrorCodes.SourceTruncated, error.Code);
        // The header is line 1, then the complete rows, then the cut-off one.
        Assert.Equal(rows + 2, error.Line);
    }

    private static async Task<long> CountAsync(FileSource source)
    {
        long count = 0;
        await foreach (var unused in source.ReadAsync(CancellationToken.None))
        {
            count++;
        }

        return count;
    }

    private static long RowsWritten(string path) => long.Parse(File.ReadAllText(path + ".rows"), CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes rows until the file passes 30 MB, streaming so the test itself stays small. With
    /// <paramref name="brokenEnd"/> the file ends in a cut-off row, which only a reader that goes
    /// all the way would notice. The row count goes to a side file.
    /// </summary>
    private string WriteLarge(string name, bool brokenEnd)
    {
        var path = _dir.PathOf(name);
        var extension = Path.GetExtension(name);
        long rows = 0;
        using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16))
        {
            var separator = extension == ".psv" ? '|' : ',';
            switch (extension)
            {
                case ".csv" or ".psv":
                    writer.Write(string.Join(separator, "symbol", "name", "shares", "week") + "\n");
                    break;
                case ".json":
                    writer.Write("[\n");
                    break;
            }

            while (writer.BaseStream.Position < TargetBytes)
            {
                rows++;
                var symbol = $"SYM{rows:0000000}";
                var row = extension switch
                {
                    ".csv" => $"{symbol},\"Company {rows}, Inc.\",{rows},2024-01-08\n",
                    ".psv" => $"{symbol}|Company {rows} Inc.|{rows}|2024-01-08\n",
                    ".json" => $"{(rows == 1 ? "" : ",\n")}{{\"symbol\":\"{symbol}\",\"name\":\"Company {rows}, Inc.\",\"shares\":{rows},\"week\":\"2024-01-08\"}}",
                    _ => $"{{\"symbol\":\"{symbol}\",\"name\":\"Company {rows}, Inc.\",\"shares\":{rows},\"week\":\"2024-01-08\"}}\n",
                };
                writer.Write(row);
                if (rows % 10_000 == 0)
                {
                    writer.Flush();
                }
            }

            writer.Write(brokenEnd
                ? extension switch
                {
                    ".csv" => "SYMCUT,\"Cut Co\",5",
                    ".psv" => "SYMCUT|Cut Co",
                    ".json" => ",\n{\"symbol\":\"SYMCUT\",\"shares\":",
                    _ => "{\"symbol\":\"SYMCUT\",\"shares\":",
                }
                : extension == ".json" ? "\n]\n" : "");
        }

        File.WriteAllText(path + ".rows", rows.ToString(CultureInfo.InvariantCulture));
        return path;
    }
}
