using System.Diagnostics;
using System.Globalization;
using MarketSpine.Testing;

namespace MarketSpine.Grains.Tests.Support;

/// <summary>
/// The throwaway PostgreSQL server itself, for the tests of what survives its restart. It restarts
/// through the command scripts/with-postgres.sh exports (SPINE_TEST_POSTGRES_RESTART): every database
/// on the server loses its connections, so only the tests that run alone (<see cref="Cluster.OneClusterAtATime"/>) use it.
/// </summary>
public static class PostgresServer
{
    /// <summary>
    /// Restarts the server: a fast shutdown (every session cut off), <paramref name="down"/> with no server
    /// (a real restart takes that long: a checkpoint, recovery), a start; returns once it accepts connections again.
    /// </summary>
    public static async Task RestartAsync(TimeSpan down)
    {
        var command = Environment.GetEnvironmentVariable("SPINE_TEST_POSTGRES_RESTART") is { Length: > 0 } path
            ? path
            : throw new InvalidOperationException(
                $"SPINE_TEST_POSTGRES_RESTART is not set (SPINE_TEST_POSTGRES is {(TestEnvironment.PostgresAdminConnectionString is null ? "not" : "")} set): "
                + "run the tests through scripts/with-postgres.sh, which starts the server and says how to restart it.");
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(down.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        using var restart = Process.Start(start)
                            ?? throw new InvalidOperationException($"{command} did not start.");
        var errors = restart.StandardError.ReadToEndAsync();
        await restart.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (restart.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} exited with {restart.ExitCode}: {await errors}");
        }
    }
}
