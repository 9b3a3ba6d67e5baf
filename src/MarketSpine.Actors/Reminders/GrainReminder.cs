using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>A registered reminder as its grain sees it; <see cref="NextDue"/> is null once it has nothing left to fire.</summary>
[Immutable]
public sealed record GrainReminder(string Name, ReminderSchedule Schedule, MissedTickPolicy Policy, DateTimeOffset? NextDue);
