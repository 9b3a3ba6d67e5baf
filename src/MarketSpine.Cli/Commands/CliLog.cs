using Microsoft.Extensions.Logging;

namespace MarketSpine.Cli.Commands;

/// <summary>The CLI's own log messages.</summary>
internal static partial class CliLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Command crashed")]
    public static partial void LogCrash(this ILogger logger, Exception exception);
}
