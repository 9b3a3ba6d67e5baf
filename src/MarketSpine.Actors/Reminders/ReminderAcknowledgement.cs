namespace MarketSpine.Actors.Reminders;

/// <summary>
/// "Tick <see cref="Due"/> of this claimed reminder is handled; the next is <see cref="NextDue"/>."
/// <see cref="Release"/> ends the claim; a null <see cref="NextDue"/> deletes the reminder (nothing left to fire).
/// </summary>
public sealed record ReminderAcknowledgement(ReminderEntry Entry, string Silo, DateTimeOffset Due, DateTimeOffset? NextDue, bool Release);
