namespace MarketSpine.Core.Tests.Sources;

/// <summary>
/// Tests that measure the process's memory run in this collection, alone: other tests allocating
/// in parallel would show up in the numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeFiles
{
    public const string Name = "Large files, measured alone";
}
