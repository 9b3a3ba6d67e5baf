namespace MarketSpine.Actors.Grains;

/// <summary>
/// Marks an interface as a grain interface: every method returns <see cref="Task"/>,
/// <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>, and its
/// arguments and results are JSON-serializable (they cross process boundaries once the cluster lands).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1040:Avoid empty interfaces",
    Justification = "A marker, as in Orleans: the runtime finds grain interfaces by it.")]
public interface IGrain;
