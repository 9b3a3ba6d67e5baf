using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Queries;

/// <summary>Which captures garbage collection deletes and which it keeps; <see cref="Executed"/> is false for a dry run.</summary>
public sealed record GcPlan(IReadOnlyList<Capture> Delete, IReadOnlyList<Capture> Keep, bool Executed);
