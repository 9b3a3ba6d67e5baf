namespace MarketSpine.Actors.Reminders;

/// <summary>
/// Pure arithmetic of reminder ticks: which due times have come, which of them were missed, and
/// what the missed-tick policy makes of them. No clock, no storage: tested on its own.
/// </summary>
public static class TickPlanner
{
    public static TickPlan Plan(ReminderEntry entry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var policy = entry.Policy;
        var keep = policy.Kind == MissedTickKind.Skip ? 0 : policy.CatchUpLimit;
        var missedKept = new Queue<DateTimeOffset>(keep);
        var missed = 0;
        var onTime = new List<DateTimeOffset>();
        DateTimeOffset? lastHandled = null;

        var due = entry.NextDue;
        while (due is { } time && time <= now)
        {
            if (entry.LastAcknowledgedDue is not { } acknowledged || time > acknowledged)
            {
                lastHandled = time;
                if (now - time > policy.Threshold)
                {
                    missed++;
                    if (keep > 0)
                    {
                        if (missedKept.Count == keep)
                        {
                            missedKept.Dequeue();
                        }

                        missedKept.Enqueue(time);
                    }
                }
                else
                {
                    onTime.Add(time);
                }
            }

            due = entry.Schedule.NextAfter(time);
        }

        var deliver = new List<PlannedTick>(missedKept.Count + onTime.Count);
        var dropped = missed - missedKept.Count;
        var first = true;
        foreach (var time in missedKept)
        {
            deliver.Add(new PlannedTick(time, first ? dropped : 0));
            first = false;
        }

        foreach (var time in onTime)
        {
            deliver.Add(new PlannedTick(time, first ? dropped : 0));
            first = false;
        }

        return new TickPlan(deliver, dropped, lastHandled, due);
    }
}
