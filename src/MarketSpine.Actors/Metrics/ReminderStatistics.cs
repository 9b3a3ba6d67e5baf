namespace MarketSpine.Actors.Metrics;

/// <summary>
/// Reminder ticks handled by this silo since it started: delivered (the grain returned), failed
/// (the grain threw or timed out) and dropped by a missed-tick policy; lateness is from due time
/// to delivery.
/// </summary>
public sealed record ReminderStatistics(long Delivered, long Failed, long Dropped, TimeSpan MeanLateness, TimeSpan MaxLateness);
