namespace MarketSpine.Core.Sources;

/// <summary>How the file readers open files, in one place so they all share and stream the same way.</summary>
internal static class SourceFiles
{
    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Opens for sequential async reading without a FileStream buffer: every reader on top
    /// (CsvHelper, System.Text.Json, StreamReader) buffers already, and two buffers only copy twice.
    /// </summary>
    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
}
