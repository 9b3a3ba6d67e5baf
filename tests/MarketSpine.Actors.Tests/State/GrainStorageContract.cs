using MarketSpine.Actors.Errors;
using MarketSpine.Actors.State;

namespace MarketSpine.Actors.Tests.State;

/// <summary>The behaviour every <see cref="IGrainStorage"/> must have; each provider's test class runs it.</summary>
public static class GrainStorageContract
{
    public static async Task WritesReadsAndFencesByEtag(IGrainStorage storage)
    {
        var key = new GrainStateKey("contract", "state", Guid.NewGuid().ToString("N"));
        Assert.Null(await storage.ReadAsync(key, CancellationToken.None));

        var first = await storage.WriteAsync(key, """{"count":1}""", null, CancellationToken.None);
        var stored = await storage.ReadAsync(key, CancellationToken.None);
        Assert.Equal(first, stored!.Etag);
        Assert.Equal(1, System.Text.Json.JsonDocument.Parse(stored.Json).RootElement.GetProperty("count").GetInt32());

        var second = await storage.WriteAsync(key, """{"count":2}""", first, CancellationToken.None);
        Assert.NotEqual(first, second);

        var stale = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, """{"count":3}""", first, CancellationToken.None));
        Assert.Contains($"expected ETag {first}", stale.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, """{"count":3}""", null, CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(key, first, CancellationToken.None));
        Assert.Equal(second, (await storage.ReadAsync(key, CancellationToken.None))!.Etag);

        await storage.ClearAsync(key, second, CancellationToken.None);
        Assert.Null(await storage.ReadAsync(key, CancellationToken.None));

        // After a clear, a writer still holding an old ETag must not re-create the row.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(key, """{"count":9}""", second, CancellationToken.None));
        var third = await storage.WriteAsync(key, """{"count":4}""", null, CancellationToken.None);
        Assert.NotEqual(second, third);
    }

    public static async Task KeepsStatesOfOneGrainApart(IGrainStorage storage)
    {
        var grain = Guid.NewGuid().ToString("N");
        var a = new GrainStateKey("contract", "a", grain);
        var b = new GrainStateKey("contract", "b", grain);

        await storage.WriteAsync(a, """{"v":"a"}""", null, CancellationToken.None);
        await storage.WriteAsync(b, """{"v":"b"}""", null, CancellationToken.None);

        Assert.Contains("\"a\"", (await storage.ReadAsync(a, CancellationToken.None))!.Json, StringComparison.Ordinal);
        Assert.Contains("\"b\"", (await storage.ReadAsync(b, CancellationToken.None))!.Json, StringComparison.Ordinal);
    }

    /// <summary>Many writers from the same ETag: exactly one wins.</summary>
    public static async Task OneOfManyConcurrentWritersWins(IGrainStorage storage)
    {
        var key = new GrainStateKey("contract", "race", Guid.NewGuid().ToString("N"));
        var start = await storage.WriteAsync(key, """{"n":0}""", null, CancellationToken.None);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 8).Select(async n =>
        {
            try
            {
                await storage.WriteAsync(key, $$"""{"n":{{n}}}""", start, CancellationToken.None);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
    }
}
