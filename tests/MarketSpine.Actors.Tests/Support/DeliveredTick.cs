namespace MarketSpine.Actors.Tests.Support;

/// <summary>One tick as a grain received it: which reminder, its due time, when it ran (real clock) and on which silo.</summary>
public sealed record DeliveredTick(string GrainKey, string ReminderName, DateTimeOffset Due, DateTimeOffset ReceivedAt, string Silo)
{
    public TimeSpan Lateness => ReceivedAt - Due;
}
