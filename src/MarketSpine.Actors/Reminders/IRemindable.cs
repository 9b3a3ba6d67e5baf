using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>Implemented by grains that register reminders; each tick activates the grain if needed and calls this.</summary>
public interface IRemindable : IGrain
{
    /// <summary>
    /// One tick of <paramref name="reminderName"/>. (name, <see cref="TickStatus.DueTime"/>) identifies the
    /// tick: an acknowledged tick is never delivered again, and a grain that must act exactly once per
    /// tick can use that pair as an idempotency key (a crash after the grain acted but before the
    /// acknowledgement is the one case in which a tick is delivered twice).
    /// </summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}
