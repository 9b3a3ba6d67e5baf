using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.TestGrains;

public interface IReminderGrain : IGrainWithStringKey
{
    Task<GrainReminder> Register(string name, ReminderSchedule schedule, MissedTickPolicy? policy);

    Task<bool> Unregister(string name);

    Task<GrainReminder?> Find(string name);
}

/// <summary>Records every tick in the probe as <c>key/name@due+dropped</c> (due as UTC "HH:mm:ss").</summary>
public sealed class ReminderGrain(Probe probe) : Grain, IReminderGrain, IRemindable
{
    public Task<GrainReminder> Register(string name, ReminderSchedule schedule, MissedTickPolicy? policy) =>
        RegisterOrUpdateReminderAsync(name, schedule, policy);

    public Task<bool> Unregister(string name) => UnregisterReminderAsync(name);

    public Task<GrainReminder?> Find(string name) => GetReminderAsync(name);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        probe.Record($"{GrainKey}/{reminderName}@{status.DueTime.UtcDateTime:HH:mm:ss}+{status.DroppedBefore}");
        return Task.CompletedTask;
    }
}
