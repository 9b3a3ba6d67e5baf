using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Reminders;

/// <summary>
/// A tick is missed when it is delivered more than <see cref="Threshold"/> after its due time (a silo
/// was down, or busy): Quartz's misfire rule, with its one-minute default. Ticks within the threshold
/// are always delivered. The default policy is <see cref="FireOnce"/>: a scheduler that silently
/// skips what it missed (Orleans' behaviour) is the complaint this runtime was asked to fix, while
/// replaying every missed tick can flood a grain after a long outage.
/// </summary>
[Immutable]
public sealed record MissedTickPolicy
{
    private MissedTickPolicy(MissedTickKind kind, int catchUpLimit)
    {
        Kind = kind;
        CatchUpLimit = catchUpLimit;
    }

    public static MissedTickPolicy Skip { get; } = new(MissedTickKind.Skip, 0);

    public static MissedTickPolicy FireOnce { get; } = new(MissedTickKind.FireOnce, 1);

    public MissedTickKind Kind { get; }

    /// <summary>How many missed ticks <see cref="MissedTickKind.CatchUp"/> delivers (1 for <see cref="MissedTickKind.FireOnce"/>).</summary>
    public int CatchUpLimit { get; }

    public TimeSpan Threshold { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliver up to <paramref name="limit"/> of the latest missed ticks, oldest first.</summary>
    public static MissedTickPolicy CatchUp(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return new MissedTickPolicy(MissedTickKind.CatchUp, limit);
    }

    /// <summary>The policy stored as (kind, limit, threshold).</summary>
    internal static MissedTickPolicy From(MissedTickKind kind, int catchUpLimit, TimeSpan threshold) => kind switch
    {
        MissedTickKind.Skip => Skip with { Threshold = threshold },
        MissedTickKind.FireOnce => FireOnce with { Threshold = threshold },
        _ => CatchUp(catchUpLimit) with { Threshold = threshold },
    };
}
