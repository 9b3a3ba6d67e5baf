using MarketSpine.Actors.Batching;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Directory;

/// <summary>
/// Group commit for directory registrations (<see cref="GroupCommit{TItem, TResult}"/>): a silo
/// activating many grains at once pays one statement per batch, and two registrations of one grain
/// never share a statement.
/// </summary>
internal sealed class RegistrationBatcher(
    Func<IReadOnlyList<GrainAddress>, CancellationToken, Task<IReadOnlyDictionary<GrainId, GrainAddress>>> registerBatch, int maxBatch)
{
    private readonly GroupCommit<GrainAddress, GrainAddress?> _commit = new(
        async (batch, cancellationToken) =>
        {
            var registered = await registerBatch(batch, cancellationToken);
            return [.. batch.Select(address => registered.GetValueOrDefault(address.Grain))];
        },
        maxBatch,
        address => address.Grain);

    /// <summary>The grain's live registration after this round (this address if it won), or null when the round saw none.</summary>
    public Task<GrainAddress?> RegisterAsync(GrainAddress address) => _commit.WriteAsync(address);
}
