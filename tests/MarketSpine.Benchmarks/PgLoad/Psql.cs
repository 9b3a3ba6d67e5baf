using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MarketSpine.Benchmarks.PgLoad;

/// <summary>
/// The server's own psql (found as scripts/with-postgres.sh finds the server: <c>pg_config
/// --bindir</c>, else <c>/usr/lib/postgresql/*/bin</c>), connected as the same user to the same
/// host, port and database as a Npgsql connection string, through PG* variables.
/// </summary>
public sealed class Psql
{
    private readonly Dictionary<string, string> _environment;

    private Psql(string executable, Dictionary<string, string> environment)
    {
        Executable = executable;
        _environment = environment;
    }

    public string Executable { get; }

    public static Psql For(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PGHOST"] = builder.Host ?? "localhost",
            ["PGPORT"] = builder.Port.ToString(CultureInfo.InvariantCulture),
            ["PGUSER"] = builder.Username ?? Environment.UserName,
            ["PGDATABASE"] = builder.Database ?? builder.Username ?? Environment.UserName,
        };
        if (builder.Password is { Length: > 0 } password)
        {
            environment["PGPASSWORD"] = password;
        }

        return new Psql(FindExecutable(), environment);
    }

    /// <summary>
    /// Loads a CSV file with <c>\copy</c> (one COPY FROM STDIN in its own transaction). Returns
    /// the statement's time as psql's <c>\timing</c> reports it, the whole process's (start,
    /// connect and exit included), and the CPU time psql used.
    /// </summary>
    public async Task<(double CopyMs, double ProcessMs, double CpuMs)> CopyCsvAsync(string table, IEnumerable<string> columns, string file)
    {
        var copy = $"\\copy {table} ({string.Join(", ", columns)}) FROM '{file.Replace("'", "''", StringComparison.Ordinal)}' WITH (FORMAT csv)";
        var childCpu = ReapedChildrenCpuMs();
        var clock = Stopwatch.StartNew();
        var output = await RunAsync("\\timing on", copy);
        var processMs = clock.Elapsed.TotalMilliseconds;
        var cpuMs = ReapedChildrenCpuMs() - childCpu;
        // "Time: 123.456 ms", with " (00:01.235)" appended past a second.
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("Time: ", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"psql printed no timing: {output}");
        var ms = line["Time: ".Length..line.IndexOf(" ms", StringComparison.Ordinal)];
        return (double.Parse(ms, CultureInfo.InvariantCulture), processMs, cpuMs);
    }

    /// <summary>
    /// The CPU time of this process's exited and reaped children (cutime + cstime of
    /// /proc/self/stat, in USER_HZ = 100 ticks a second), NaN where there is no /proc: a child's
    /// own figures are gone from /proc once it has been waited for.
    /// </summary>
    private static double ReapedChildrenCpuMs()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return double.NaN;
        }

        // Fields after the command name, which is in parentheses and may hold spaces:
        // state is field 3, cutime and cstime are fields 16 and 17.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) * 10.0;
    }

    private async Task<string> RunAsync(params string[] commands)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // -X: no ~/.psqlrc to change what is measured; -q: only the timing line is printed.
        foreach (var argument in new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var command in commands)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(command);
        }

        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }

    private static string FindExecutable()
    {
        try
        {
            using var pgConfig = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, UseShellExecute = false });
            if (pgConfig is not null)
            {
                var bindir = pgConfig.StandardOutput.ReadToEnd().Trim();
                pgConfig.WaitForExit();
                if (pgConfig.ExitCode == 0 && File.Exists(Path.Combine(bindir, "psql")))
                {
                    return Path.Combine(bindir, "psql");
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config on the PATH: look where Debian installs the server.
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin", "psql")).Where(File.Exists).Order(StringComparer.Ordinal).FirstOrDefault() ?? "psql"
            : "psql";
    }
}
