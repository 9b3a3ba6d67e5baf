using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MarketSpine.Actors.Tests.Support;

/// <summary>
/// Records when this process, or the database server it waits on, could not run: a stop-the-world
/// garbage collection, or the OS keeping runnable threads waiting for a CPU. On a two-core machine
/// shared with builds (load averages of 10 to 30 were seen) either can hold a process for most of a
/// second, and no runtime acts while its threads, or the database's, do not run; a test that bounds
/// real-time lateness takes these stretches off. Every 10 ms a dedicated thread notes how late its own
/// nap ended (a collection holds it) and, from Linux's scheduler statistics
/// (<c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat</c>), how long each thread of this process and of
/// the processes given to <see cref="Include"/> waited in a run queue. A single such wait stalls the
/// whole process more often than not: the .NET thread pool, trimmed by its hill climbing to as few
/// workers as there are cores, runs nothing else until a waiting worker gets a CPU or the pool sees
/// starvation (every half second). Nothing counts while the watched threads together used more than
/// half of the machine's CPUs over the last second: a runtime that saturates the machine is not
/// excused, nor one that starves its own thread pool (its threads then wait for work, not in a run
/// queue).
/// </summary>
public sealed class ProcessStallWatch : IDisposable
{
    private static readonly TimeSpan Nap = TimeSpan.FromMilliseconds(10);

    /// <summary>Shorter waits are ordinary scheduling noise, which a bound must absorb.</summary>
    private static readonly TimeSpan NoiseFloor = TimeSpan.FromMilliseconds(5);

    private static readonly TimeSpan TaskListAge = TimeSpan.FromSeconds(1);

    /// <summary>Over how long the watched threads' CPU use tells whether they saturated the machine themselves.</summary>
    private static readonly TimeSpan BusyHorizon = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<(DateTimeOffset From, DateTimeOffset To)> _stalls = new();
    private readonly ConcurrentDictionary<int, bool> _processes = new();
    private readonly Dictionary<string, (FileStream Stats, long Ran, long Waited)> _tasks = new(StringComparer.Ordinal);
    private readonly byte[] _buffer = new byte[256];
    private readonly Thread _thread;
    private volatile bool _stopped;

    public ProcessStallWatch()
    {
        _processes[Environment.ProcessId] = true;
        _thread = new Thread(Watch) { IsBackground = true, Name = "process stall watch" };
        _thread.Start();
    }

    /// <summary>Watches the threads of <paramref name="processIds"/> too (the database's backends).</summary>
    public void Include(IEnumerable<int> processIds)
    {
        ArgumentNullException.ThrowIfNull(processIds);
        foreach (var id in processIds)
        {
            _processes[id] = true;
        }
    }

    /// <summary>How long the watched processes could not run between <paramref name="from"/> and <paramref name="to"/> (stretches that overlap count once).</summary>
    public TimeSpan FrozenBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var frozen = TimeSpan.Zero;
        var covered = from;
        foreach (var (stallFrom, stallTo) in _stalls.Where(s => s.To > from && s.From < to).OrderBy(s => s.From))
        {
            var start = stallFrom > covered ? stallFrom : covered;
            var end = stallTo < to ? stallTo : to;
            if (end > start)
            {
                frozen += end - start;
                covered = end;
            }
        }

        return frozen;
    }

    /// <summary>The longest single stretch between <paramref name="from"/> and <paramref name="to"/>.</summary>
    public TimeSpan LongestBetween(DateTimeOffset from, DateTimeOffset to) =>
        _stalls.Where(s => s.To > from && s.From < to).Select(s => s.To - s.From).DefaultIfEmpty(TimeSpan.Zero).Max();

    public void Dispose()
    {
        _stopped = true;
        _thread.Join();
        foreach (var (stats, _, _) in _tasks.Values)
        {
            stats.Dispose();
        }
    }

    private void Watch()
    {
        var listedAt = long.MinValue;
        var waits = new List<TimeSpan>();
        var recent = new Queue<(long At, TimeSpan Ran)>();
        var recentRan = TimeSpan.Zero;
        while (!_stopped)
        {
            var started = Stopwatch.GetTimestamp();
            Thread.Sleep(Nap);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (Stopwatch.GetElapsedTime(listedAt) > TaskListAge)
            {
                ListTasks();
                listedAt = Stopwatch.GetTimestamp();
            }

            waits.Clear();
            waits.Add(elapsed - Nap);
            var ran = Sample(waits);
            recent.Enqueue((Stopwatch.GetTimestamp(), ran));
            recentRan += ran;
            while (Stopwatch.GetElapsedTime(recent.Peek().At) > BusyHorizon)
            {
                recentRan -= recent.Dequeue().Ran;
            }

            if (recentRan > BusyHorizon * Environment.ProcessorCount / 2)
            {
                continue;
            }

            var now = DateTimeOffset.UtcNow;
            foreach (var wait in waits.Where(w => w > NoiseFloor))
            {
                _stalls.Enqueue((now - wait, now));
            }
        }
    }

    /// <summary>
    /// Since the previous sample: adds to <paramref name="waits"/> how long each watched thread waited
    /// in a run queue (Linux adds a wait when it ends, so one that lasted longer than the sample shows
    /// whole, and ends now), and returns the CPU time they all used.
    /// </summary>
    private TimeSpan Sample(List<TimeSpan> waits)
    {
        long ran = 0;
        foreach (var (path, (stats, ranBefore, waitedBefore)) in _tasks.ToList())
        {
            if (Read(stats) is not { } now)
            {
                stats.Dispose();
                _tasks.Remove(path);
                continue;
            }

            ran += now.Ran - ranBefore;
            waits.Add(TimeSpan.FromTicks((now.Waited - waitedBefore) / 100));
            _tasks[path] = (stats, now.Ran, now.Waited);
        }

        return TimeSpan.FromTicks(ran / 100);
    }

    /// <summary>Keeps a stream open on each watched thread's statistics (procfs regenerates them on every read from the start).</summary>
    private void ListTasks()
    {
        foreach (var process in _processes.Keys)
        {
            string[] threads;
            try
            {
                threads = System.IO.Directory.GetDirectories($"/proc/{process.ToString(CultureInfo.InvariantCulture)}/task");
            }
            catch (IOException)
            {
                // Not Linux, or the process ended: only collections are seen for it.
                continue;
            }

            foreach (var path in threads.Select(t => Path.Combine(t, "schedstat")).Where(p => !_tasks.ContainsKey(p)))
            {
                try
                {
                    var stats = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
                    if (Read(stats) is { } now)
                    {
                        _tasks[path] = (stats, now.Ran, now.Waited);
                    }
                    else
                    {
                        stats.Dispose();
                    }
                }
                catch (IOException)
                {
                    // The thread ended meanwhile.
                }
            }
        }
    }

    /// <summary>The first two fields of schedstat, in nanoseconds: time on a CPU, time waiting in a run queue; null once the thread is gone.</summary>
    private (long Ran, long Waited)? Read(FileStream stats)
    {
        try
        {
            stats.Position = 0;
            var length = stats.Read(_buffer);
            var field = 0;
            long value = 0;
            long ran = 0;
            for (var i = 0; i < length; i++)
            {
                var c = _buffer[i];
                if (c != (byte)' ')
                {
                    value = (value * 10) + (c - (byte)'0');
                }
                else if (field++ == 0)
                {
                    ran = value;
                    value = 0;
                }
                else
                {
                    return (ran, value);
                }
            }

            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
