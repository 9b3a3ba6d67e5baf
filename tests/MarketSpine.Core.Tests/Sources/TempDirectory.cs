using System.Text;

namespace MarketSpine.Core.Tests.Sources;

/// <summary>A directory under the system temp folder for one test's files, deleted with them on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "marketspine-core-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> as UTF-8 exactly as given (no newline added), with a byte order mark if asked.</summary>
    public string Write(string name, string content, bool byteOrderMark = false)
    {
        var path = PathOf(name);
        var bytes = Encoding.UTF8.GetBytes(content);
        File.WriteAllBytes(path, byteOrderMark ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
        return path;
    }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
