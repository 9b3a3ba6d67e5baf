using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>Implemented by grains that register reminders; each tick activates the grain if needed and calls this.</summary>
public interface IRemindable : IGrain
{
    /// <summary>
    /// One tick of <paramref name="reminderName"/>. (name, <see cref="TickStatus.DueTime"/>) identifies the
    /// tick: an acknowledged tick is never delivered again, and a grain that must act exactly once per
    /// tick can use that pair as an idempotency key. A tick is delivered twice only when the grain acted
    /// but the acknowledgement was never recorded: the delivering silo crashed, or was declared dead
    /// while still delivering, or the grain's silo died after acting but before it answered.
    /// </summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}
