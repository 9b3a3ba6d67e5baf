namespace MarketSpine.Actors.State;

/// <summary>
/// Names one stored state: the grain's type and key, and the state's name within the grain.
/// <see cref="StoredType"/> is what the SQL providers put in <c>grain_state.grain_type</c>: the grain
/// type and the state name together, as Orleans' ADO.NET storage does, so one grain may keep several
/// states while the table keeps its two-column key.
/// </summary>
public sealed record GrainStateKey(string GrainType, string StateName, string GrainKey)
{
    public string StoredType => $"{GrainType}/{StateName}";
}
