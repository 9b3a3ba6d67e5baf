using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// A row of the reminders table. <see cref="LastAcknowledgedDue"/> only moves forward: a tick due at
/// or before it is never delivered again, even if the reminder is re-registered meanwhile.
/// <see cref="Etag"/> changes with each registration, so an acknowledgement never overwrites a schedule
/// the grain changed while its tick was being delivered.
/// </summary>
public sealed record ReminderEntry(
    GrainId Grain,
    string Name,
    ReminderSchedule Schedule,
    MissedTickPolicy Policy,
    DateTimeOffset? NextDue,
    DateTimeOffset? LastAcknowledgedDue,
    string Etag)
{
    public GrainReminder ToReminder() => new(Name, Schedule, Policy, NextDue);
}
