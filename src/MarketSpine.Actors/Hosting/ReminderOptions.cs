namespace MarketSpine.Actors.Hosting;

/// <summary>How the silo's reminder loop polls the reminders table.</summary>
public sealed class ReminderOptions
{
    /// <summary>How often due reminders are claimed; ticks come at most this late. Set it below the shortest period in use.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claim holds before another silo may take the reminder (a crashed silo's claims end with it).</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many due reminders one claim takes.</summary>
    public int BatchSize { get; set; } = 100;
}
