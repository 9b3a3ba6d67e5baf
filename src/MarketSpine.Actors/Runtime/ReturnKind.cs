namespace MarketSpine.Actors.Runtime;

/// <summary>The four shapes a grain method may return.</summary>
internal enum ReturnKind
{
    Task,
    TaskOfResult,
    ValueTask,
    ValueTaskOfResult,
}
