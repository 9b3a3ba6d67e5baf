using MarketSpine.Actors.Grains;
using Microsoft.Extensions.Logging;

namespace MarketSpine.Actors.Reminders;

/// <summary>The reminder service's log messages (event ids 1200–1299), source-generated.</summary>
internal static partial class ReminderLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "Reminder {ReminderName} of {GrainId} registered, next due {NextDue}")]
    public static partial void ReminderRegistered(this ILogger logger, GrainId grainId, string reminderName, DateTimeOffset? nextDue);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "A reminder pass failed")]
    public static partial void ReminderPassFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Reminder {ReminderName} is due for {GrainId}, whose grain type this silo does not know or that is not IRemindable")]
    public static partial void ReminderForUnknownGrain(this ILogger logger, GrainId grainId, string reminderName);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Reminder {ReminderName} of {GrainId}: {Dropped} missed ticks dropped by policy {Policy}")]
    public static partial void ReminderTicksDropped(this ILogger logger, GrainId grainId, string reminderName, int dropped, MissedTickKind policy);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Error, Message = "Reminder {ReminderName} of {GrainId}, tick due {DueTime}, failed")]
    public static partial void ReminderTickFailed(this ILogger logger, Exception exception, GrainId grainId, string reminderName, DateTimeOffset dueTime);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Debug, Message = "Reminder {ReminderName} of {GrainId}, tick due {DueTime}, could not reach its grain ({Reason}); claimable again at {RetryAt}")]
    public static partial void ReminderTickUndeliverable(this ILogger logger, GrainId grainId, string reminderName, DateTimeOffset dueTime, string reason, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "Released {Count} reminder claims of silo {Silo}, which left the cluster")]
    public static partial void ReminderClaimsReleased(this ILogger logger, int count, string silo);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Error, Message = "Releasing the reminder claims of silo {Silo}, which left the cluster, failed; they end with their lease")]
    public static partial void ReminderClaimsReleaseFailed(this ILogger logger, Exception exception, string silo);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Error, Message = "Reminder {ReminderName} of {GrainId}: recording its tick failed; it stays claimed until its lease ends, and its unrecorded tick is delivered again then")]
    public static partial void ReminderWriteFailed(this ILogger logger, Exception exception, GrainId grainId, string reminderName);
}
