using System.Globalization;

namespace MarketSpine.Grains.Embedded;

/// <summary>
/// The mark of the one process that serves a database: an exclusive lock on <c>{database}.silo.lock</c>,
/// held while its silo runs and released by the operating system if the process dies. Who holds it (its
/// role and how it describes itself) is written beside it, in <c>{database}.silo.owner</c>, for the others.
/// </summary>
public sealed class SiloLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _ownerPath;

    private SiloLock(FileStream stream, string ownerPath)
    {
        _stream = stream;
        _ownerPath = ownerPath;
    }

    /// <summary>Takes the lock of <paramref name="databasePath"/>, or returns null when another process (or command) holds it.</summary>
    public static SiloLock? TryAcquire(string databasePath, SiloRole role, string activity)
    {
        if (TryLock(databasePath) is not { } stream)
        {
            return null;
        }

        var ownerPath = OwnerPath(databasePath);
        try
        {
            File.WriteAllText(ownerPath, string.Create(CultureInfo.InvariantCulture,
                $"{role}\n{activity} (pid {Environment.ProcessId}, since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z)\n"));
        }
        catch (IOException)
        {
            // Only the message of the others loses its detail.
        }

        return new SiloLock(stream, ownerPath);
    }

    /// <summary>Whether a process serves <paramref name="databasePath"/> now, and if so who (as it described itself).</summary>
    public static bool IsHeld(string databasePath, out string holder)
    {
        holder = "";
        if (!File.Exists(LockPath(databasePath)))
        {
            return false;
        }

        using (var probe = TryLock(databasePath))
        {
            if (probe is not null)
            {
                return false;
            }
        }

        holder = Holder(databasePath).Description;
        return true;
    }

    /// <summary>The holder's role and description as it wrote them; a generic phrase when its note is gone or being written.</summary>
    public static (SiloRole? Role, string Description) Holder(string databasePath)
    {
        try
        {
            var lines = File.ReadAllLines(OwnerPath(databasePath));
            if (lines.Length >= 2 && Enum.TryParse<SiloRole>(lines[0], out var role))
            {
                return (role, lines[1]);
            }
        }
        catch (IOException)
        {
        }

        return (null, "another spine process");
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_ownerPath);
        }
        catch (IOException)
        {
            // A stale note is overwritten by the next holder.
        }

        _stream.Dispose();
    }

    private static FileStream? TryLock(string databasePath)
    {
        var path = LockPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            // FileShare.None is an exclusive flock on Unix and a share lock on Windows: either way a
            // second open, from this process or another, fails until this handle is closed.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string LockPath(string databasePath) => databasePath + ".silo.lock";

    private static string OwnerPath(string databasePath) => databasePath + ".silo.owner";
}
