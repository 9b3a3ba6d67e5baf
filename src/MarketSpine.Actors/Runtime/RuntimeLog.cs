using MarketSpine.Actors.Grains;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Runtime;

/// <summary>The runtime's log messages (event ids 1000–1099), source-generated.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "A turn escaped its own error handling")]
    public static partial void TurnFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Activation of {GrainId} failed")]
    public static partial void ActivationFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} failed")]
    public static partial void DeactivationFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Deactivated {GrainId} ({Reason})")]
    public static partial void Deactivated(this ILogger logger, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Could not remove {GrainId} from the grain directory")]
    public static partial void UnregisterFailed(this ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "A timer tick of {GrainId} failed")]
    public static partial void TimerFailed(this ILogger logger, Exception exception, GrainId grainId);
}
