using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Grains.Tests.Support;

/// <summary>
/// Keeps the warnings and errors a silo logs, so a failing test can say what the runtime complained
/// about; with SPINE_TEST_LOG set to a file path, appends every line there as well.
/// </summary>
public sealed class LogCollector : ILoggerProvider
{
    private static readonly string? FilePath = Environment.GetEnvironmentVariable("SPINE_TEST_LOG");
    private static readonly Lock FileLock = new();

    public ConcurrentQueue<string> Problems { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {level,-11} {category}: {message}{(exception is null ? "" : $" | {exception}")}";
        if (level >= LogLevel.Warning)
        {
            Problems.Enqueue(line);
        }

        if (FilePath is not null)
        {
            lock (FileLock)
            {
                File.AppendAllText(FilePath, line + Environment.NewLine);
            }
        }
    }

    private sealed class Collector(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning || (FilePath is not null && logLevel >= LogLevel.Debug);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                owner.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
