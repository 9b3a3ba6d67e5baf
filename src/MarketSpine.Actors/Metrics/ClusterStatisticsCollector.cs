using System.Text.Json;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Messaging;
using MarketSpine.Actors.Transport;

namespace MarketSpine.Actors.Metrics;

/// <summary>
/// Asks every live silo for its statistics at once, each bounded by <see cref="Timeout"/>: one slow or
/// dead silo costs the caller that long at most and shows up as unreachable, never as a failed call.
/// </summary>
internal static class ClusterStatisticsCollector
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gathers the statistics of <paramref name="members"/>; <paramref name="local"/> answers for the
    /// calling silo itself, without the network (null in a client).
    /// </summary>
    public static async Task<ClusterStatistics> CollectAsync(
        IEnumerable<SiloEntry> members, IMessageTransport transport, (string Silo, Func<SiloStatistics> Snapshot)? local,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(members
            .Where(member => member.Status != SiloStatus.Dead)
            .Select(member => member.Address.ToString() == local?.Silo
                ? Task.FromResult<(SiloStatistics?, UnreachableSilo?)>((local.Value.Snapshot(), null))
                : AskAsync(member, transport, cancellationToken)));
        return new ClusterStatistics(
            time.GetUtcNow(),
            [.. answers.Select(answer => answer.Item1).OfType<SiloStatistics>().OrderBy(silo => silo.Silo, StringComparer.Ordinal)],
            [.. answers.Select(answer => answer.Item2).OfType<UnreachableSilo>().OrderBy(silo => silo.Silo, StringComparer.Ordinal)]);
    }

    private static async Task<(SiloStatistics?, UnreachableSilo?)> AskAsync(SiloEntry member, IMessageTransport transport, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var answer = await transport.SendAsync(member.Endpoint, StatisticsRequest.Payload, timeout.Token);
            return (StatisticsRequest.DecodeAnswer(answer), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new UnreachableSilo(member.Address.ToString(), $"no answer within {Timeout}"));
        }
        catch (Exception exception) when (exception is TransportException or RemoteHandlerException or JsonException)
        {
            return (null, new UnreachableSilo(member.Address.ToString(), exception.Message));
        }
    }
}
