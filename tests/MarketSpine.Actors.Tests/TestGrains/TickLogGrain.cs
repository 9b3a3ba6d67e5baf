using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.TestGrains;

public interface ITickLogGrain : IGrainWithStringKey
{
    Task<GrainReminder> Register(string name, ReminderSchedule schedule, MissedTickPolicy policy);
}

/// <summary>Records every tick it receives, with the silo it runs on, in the shared <see cref="TickLog"/>.</summary>
[GrainType("tick-log")]
public sealed class TickLogGrain(TickLog log, SiloTag silo) : Grain, ITickLogGrain, IRemindable
{
    public Task<GrainReminder> Register(string name, ReminderSchedule schedule, MissedTickPolicy policy) =>
        RegisterOrUpdateReminderAsync(name, schedule, policy);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        log.Record(GrainKey, reminderName, status.DueTime, silo.Name);
        return Task.CompletedTask;
    }
}
