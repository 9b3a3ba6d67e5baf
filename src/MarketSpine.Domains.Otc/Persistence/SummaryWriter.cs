using System.Data.Common;
using MarketSpine.Core.Data;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Persistence;

/// <summary>
/// One transaction replacing a capture's symbol summaries and venue shares. Disposing without
/// <see cref="CommitAsync"/> (a failed quality gate, say) rolls everything back.
/// </summary>
public sealed class SummaryWriter : IAsyncDisposable
{
    private readonly ISpineDatabase _database;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly Capture _capture;
    private readonly IBulkInsert _symbols;

    internal SummaryWriter(ISpineDatabase database, DbConnection connection, DbTransaction transaction, IBulkInsert symbols, Capture capture)
    {
        _database = database;
        _connection = connection;
        _transaction = transaction;
        _symbols = symbols;
        _capture = capture;
    }

    public async ValueTask AddSymbolAsync(SymbolSummary summary, CancellationToken cancellationToken)
    {
        await _symbols.StartRowAsync(cancellationToken);
        _symbols.Write(_capture.CaptureId);
        _symbols.Write(summary.Symbol);
        LineageWriter.WriteWeekAndTier(_symbols, _capture);
        _symbols.Write(summary.IssueName);
        _symbols.Write(summary.TotalShares);
        _symbols.Write(summary.TotalTrades);
        _symbols.Write(summary.VenueCount);
        _symbols.Write(summary.AverageTradeSize);
        LineageWriter.WriteClocksAndFile(_symbols, _capture);
    }

    /// <summary>Ends the symbol rows, writes the venue shares, marks the capture summarized, commits.</summary>
    public async Task CommitAsync(IReadOnlyList<VenueShare> venues, DateTimeOffset summarizedAt, CancellationToken cancellationToken)
    {
        await _symbols.CompleteAsync(cancellationToken);
        await _symbols.DisposeAsync();
        await using (var bulk = await _database.BeginBulkInsertAsync(_connection, _transaction, "otc_venue_share", OtcColumns.VenueShare, cancellationToken))
        {
            foreach (var venue in venues)
            {
                await bulk.StartRowAsync(cancellationToken);
                bulk.Write(_capture.CaptureId);
                bulk.Write(venue.Mpid);
                LineageWriter.WriteWeekAndTier(bulk, _capture);
                bulk.Write(venue.VenueName);
                bulk.Write(venue.TotalShares);
                bulk.Write(venue.TotalTrades);
                bulk.Write(venue.SymbolCount);
                bulk.Write(venue.SharePercent);
                bulk.Write(venue.Rank);
                bulk.Write(venue.AverageTradeSize);
                LineageWriter.WriteClocksAndFile(bulk, _capture);
            }

            await bulk.CompleteAsync(cancellationToken);
        }

        await using (var update = _connection.Command("UPDATE otc_captures SET summarized_at = @at WHERE capture_id = @id", _transaction))
        {
            update.WithParameter("@at", summarizedAt).WithParameter("@id", _capture.CaptureId);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await _transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _symbols.DisposeAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
