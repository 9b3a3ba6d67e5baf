using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Reminders;
using MarketSpine.Actors.Tests.Support;

namespace MarketSpine.Actors.Tests.TestGrains;

public interface IUnreachableOnceGrain : IGrainWithStringKey
{
    Task<GrainReminder> Register(string name, ReminderSchedule schedule);
}

/// <summary>
/// The first delivery of each tick fails as a call does whose grain's silo cannot be reached; later
/// ones are recorded in the probe as <c>key/name@due+dropped</c> (due as UTC "HH:mm:ss").
/// </summary>
public sealed class UnreachableOnceGrain(Probe probe) : Grain, IUnreachableOnceGrain, IRemindable
{
    private readonly HashSet<(string, DateTimeOffset)> _attempted = [];

    public Task<GrainReminder> Register(string name, ReminderSchedule schedule) => RegisterOrUpdateReminderAsync(name, schedule);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_attempted.Add((reminderName, status.DueTime)))
        {
            throw new SiloUnavailableException($"{GrainKey} stands for a grain whose silo cannot be reached.");
        }

        probe.Record($"{GrainKey}/{reminderName}@{status.DueTime.UtcDateTime:HH:mm:ss}+{status.DroppedBefore}");
        return Task.CompletedTask;
    }
}
