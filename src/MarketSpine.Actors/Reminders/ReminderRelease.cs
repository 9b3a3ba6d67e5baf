namespace MarketSpine.Actors.Reminders;

/// <summary>
/// "This silo gives up its claim on the reminder without handling its tick; any silo may claim it
/// again from <see cref="ClaimableFrom"/>." The tick stays due: nothing is recorded as handled.
/// </summary>
public sealed record ReminderRelease(ReminderEntry Entry, string Silo, DateTimeOffset ClaimableFrom);
