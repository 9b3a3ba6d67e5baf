using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using MarketSpine.Core.Errors;

namespace MarketSpine.Domains.Otc.Parsing;

/// <summary>
/// Streaming reader of FINRA's weekly OTC transparency download (pipe files, or the comma
/// files of older exports), one <see cref="FinraWeeklyRow"/> at a time with flat memory.
/// </summary>
/// <remarks>
/// <para>
/// Hand-written over UTF-8 byte spans rather than <c>StreamReader</c> + <c>string.Split</c> or
/// CsvHelper because the target is at least 1.5 million rows/s on one thread (a full week of
/// all tiers is ~250,000 rows, and backfills read years of weeks). So: one rented buffer filled
/// with <see cref="Stream.Read(byte[], int, int)"/>, vectorized <c>IndexOf</c> for line and
/// field ends, numbers and dates parsed from bytes, and strings interned by their bytes, so a
/// repeated venue or symbol costs a compare instead of an allocation.
/// </para>
/// <para>
/// Every failure is a <see cref="SourceError"/> naming the source, the 1-based line and the
/// field. A row with too few fields is <c>SOURCE_TRUNCATED</c> when nothing but blank lines
/// follows it (the file was cut off) and <c>SOURCE_MALFORMED</c> otherwise; deciding that needs
/// no look-ahead: the error is held until the next non-blank line or the end of the file.
/// </para>
/// <para>Not thread-safe; one pass only.</para>
/// </remarks>
public sealed class FinraWeeklyReader : IDisposable
{
    /// <summary>128 KB: large enough that refills and the copy of a line straddling two fills are noise.</summary>
    public const int DefaultBufferSize = 128 * 1024;

    private const int MaxPreviewLength = 60;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Utf8Interner _tiers = new();
    private readonly Utf8Interner _venueNames = new();
    private readonly Utf8Interner _mpids = new();
    private readonly Utf8LastValueCache _symbols = new();
    private readonly Utf8LastValueCache _issueNames = new();

    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _done;
    private bool _bomChecked;
    private bool _disposed;
    private long _linesConsumed;
    private FinraWeeklyLayout? _layout;
    private int[] _fieldStarts = [];
    private int[] _fieldLengths = [];
    private byte[] _scratch = [];

    // A short row waits here until we know whether it was the file's last line.
    private long _pendingShortLine;
    private int _pendingShortFieldCount;

    // Every row of a file carries the same lastUpdateDate, so the last one is kept by its bytes.
    private bool _hasLastDate;
    private ulong _lastDateHead;
    private ushort _lastDateTail;
    private DateOnly _lastDate;

    public FinraWeeklyReader(Stream stream, string sourceName, bool leaveOpen = false, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 16);
        _stream = stream;
        _leaveOpen = leaveOpen;
        SourceName = sourceName;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>What is being read, as used in every error message.</summary>
    public string SourceName { get; }

    /// <summary>The file's delimiter (<c>|</c> or <c>,</c>), known once the header has been read.</summary>
    public char? Delimiter => _layout is null ? null : (char)_layout.Delimiter;

    /// <summary>The header's column names, known once the header has been read.</summary>
    public IReadOnlyList<string> Columns => _layout?.Columns ?? [];

    /// <summary>Physical lines consumed so far, header and blank lines included.</summary>
    public long LinesRead => _linesConsumed;

    /// <summary>Reads the next data row; false at the end of the file.</summary>
    /// <exception cref="SourceError">Empty file, header mismatch, malformed or truncated row, read failure.</exception>
    public bool TryRead(out FinraWeeklyRow row)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (TryReadBuffered(out row))
            {
                return true;
            }

            if (_done)
            {
                return false;
            }

            Fill();
        }
    }

    /// <summary>All remaining rows, read synchronously.</summary>
    public IEnumerable<FinraWeeklyRow> ReadAll()
    {
        while (TryRead(out var row))
        {
            yield return row;
        }
    }

    /// <summary>All remaining rows; only the buffer refills are asynchronous, parsing stays synchronous.</summary>
    public async IAsyncEnumerable<FinraWeeklyRow> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            while (TryReadBuffered(out var row))
            {
                yield return row;
            }

            if (_done)
            {
                yield break;
            }

            await FillAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>
    /// Parses the next row from the bytes already buffered. False when more bytes are needed or
    /// the file is done (<see cref="_done"/> tells which); never blocks, so the sync and async
    /// read paths share it.
    /// </summary>
    private bool TryReadBuffered(out FinraWeeklyRow row)
    {
        row = default;
        while (!_done)
        {
            if (!_bomChecked)
            {
                if (_end - _start < 3 && !_eof)
                {
                    return false;
                }

                if (_buffer.AsSpan(_start, _end - _start).StartsWith("\uFEFF"u8))
                {
                    _start += 3;
                }

                _bomChecked = true;
            }

            var available = _buffer.AsSpan(_start, _end - _start);
            var quoted = _layout is { Quoted: true };
            var extraLines = 0;
            var end = quoted ? FindQuotedRecordEnd(available, out extraLines) : available.IndexOf((byte)'\n');
            int recordLength;
            int consumed;
            if (end >= 0)
            {
                recordLength = end;
                consumed = end + 1;
            }
            else if (!_eof)
            {
                return false;
            }
            else if (available.IsEmpty)
            {
                Finish();
                return false;
            }
            else
            {
                // The last line of a file without a final newline.
                recordLength = available.Length;
                consumed = available.Length;
                extraLines = quoted ? available.Count((byte)'\n') : 0;
            }

            var record = available[..recordLength];
            if (!record.IsEmpty && record[^1] == (byte)'\r')
            {
                record = record[..^1];
            }

            var lineNumber = _linesConsumed + 1;
            _linesConsumed += 1 + extraLines;
            _start += consumed;

            if (IsBlank(record))
            {
                continue;
            }

            if (_layout is null)
            {
                ReadHeader(record, lineNumber);
                continue;
            }

            if (_pendingShortLine != 0)
            {
                // More data follows the short row, so it was not cut off by a truncated download.
                throw PendingShortRowError(ErrorCodes.SourceMalformed);
            }

            if (TryParseRow(record, lineNumber, _layout, out row))
            {
                return true;
            }
        }

        return false;
    }

    private void Finish()
    {
        _done = true;
        if (_layout is null)
        {
            throw new SourceError(
                ErrorCodes.SourceEmpty,
                $"{SourceName}: the file is empty (no header line); expected FINRA's weekly header: {FinraWeeklyColumns.CanonicalHeader}.",
                SourceName);
        }

        if (_pendingShortLine != 0)
        {
            throw PendingShortRowError(ErrorCodes.SourceTruncated);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> record) =>
        record.IsEmpty || record.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0;

    /// <summary>
    /// End of a comma-file record: the first newline outside a quoted field (RFC 4180 allows
    /// newlines inside quotes). A quote opens a quoted field only at the start of a field; a
    /// stray quote inside an unquoted value is taken literally instead of swallowing the file.
    /// </summary>
    private static int FindQuotedRecordEnd(ReadOnlySpan<byte> data, out int newlinesInside)
    {
        newlinesInside = 0;
        var pos = 0;
        while (true)
        {
            var next = data[pos..].IndexOfAny((byte)'"', (byte)'\n');
            if (next < 0)
            {
                return -1;
            }

            pos += next;
            if (data[pos] == (byte)'\n')
            {
                return pos;
            }

            var atFieldStart = pos == 0 || data[pos - 1] == (byte)',';
            pos++;
            if (!atFieldStart)
            {
                continue;
            }

            // Inside a quoted field: skip to its closing quote, stepping over "" escapes.
            while (true)
            {
                var close = data[pos..].IndexOf((byte)'"');
                if (close < 0)
                {
                    return -1;
                }

                newlinesInside += data.Slice(pos, close).Count((byte)'\n');
                pos += close + 1;
                if (pos < data.Length && data[pos] == (byte)'"')
                {
                    pos++;
                    continue;
                }

                if (pos == data.Length)
                {
                    // The next byte could be a second quote (an escape): need more data to tell.
                    return -1;
                }

                break;
            }
        }
    }

    private void ReadHeader(ReadOnlySpan<byte> record, long lineNumber)
    {
        var delimiter = record.Contains((byte)'|') ? (byte)'|' : record.Contains((byte)',') ? (byte)',' : (byte)'|';
        var capacity = record.Count(delimiter) + 1;
        _fieldStarts = new int[capacity];
        _fieldLengths = new int[capacity];

        ReadOnlySpan<byte> data;
        int count;
        if (delimiter == (byte)',')
        {
            count = SplitQuoted(record, lineNumber, columns: null);
            data = _scratch;
        }
        else
        {
            count = SplitPlain(record, delimiter);
            data = record;
        }

        var columns = new string[count];
        for (var i = 0; i < count; i++)
        {
            columns[i] = Encoding.UTF8.GetString(data.Slice(_fieldStarts[i], _fieldLengths[i])).Trim();
        }

        _layout = FinraWeeklyLayout.FromHeader(delimiter, columns, SourceName, lineNumber);
        _fieldStarts = new int[count];
        _fieldLengths = new int[count];
    }

    private bool TryParseRow(ReadOnlySpan<byte> record, long lineNumber, FinraWeeklyLayout layout, out FinraWeeklyRow row)
    {
        ReadOnlySpan<byte> data;
        int count;
        if (layout.Quoted)
        {
            count = SplitQuoted(record, lineNumber, layout.Columns);
            data = _scratch;
        }
        else
        {
            count = SplitPlain(record, layout.Delimiter);
            data = record;
        }

        if (count != layout.ColumnCount)
        {
            if (count < layout.ColumnCount)
            {
                _pendingShortLine = lineNumber;
                _pendingShortFieldCount = count;
                row = default;
                return false;
            }

            throw new SourceError(
                ErrorCodes.SourceMalformed,
                $"{SourceName}: line {lineNumber} has {count} fields but the header has {layout.ColumnCount} (a stray '{(char)layout.Delimiter}' in a value?).",
                SourceName,
                lineNumber,
                layout.Columns[^1]);
        }

        var sharesText = Field(data, layout.ShareQuantityOrdinal);
        if (!Utf8Values.TryParseInt64(sharesText, out var shares))
        {
            throw FieldError(lineNumber, FinraWeeklyColumns.TotalWeeklyShareQuantity, sharesText, "is not an integer");
        }

        var tradesText = Field(data, layout.TradeCountOrdinal);
        if (!Utf8Values.TryParseInt64(tradesText, out var trades))
        {
            throw FieldError(lineNumber, FinraWeeklyColumns.TotalWeeklyTradeCount, tradesText, "is not an integer");
        }

        var date = ParseDate(Field(data, layout.LastUpdateDateOrdinal), lineNumber);

        row = new FinraWeeklyRow(
            lineNumber,
            _tiers.GetOrAdd(Field(data, layout.TierOrdinal)),
            _symbols.Get(Field(data, layout.SymbolOrdinal)),
            _issueNames.Get(Field(data, layout.IssueNameOrdinal)),
            _venueNames.GetOrAdd(Field(data, layout.VenueNameOrdinal)),
            _mpids.GetOrAdd(Field(data, layout.MpidOrdinal)),
            shares,
            trades,
            date,
            (char)layout.Delimiter);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Field(ReadOnlySpan<byte> data, int ordinal) =>
        data.Slice(_fieldStarts[ordinal], _fieldLengths[ordinal]);

    private DateOnly ParseDate(ReadOnlySpan<byte> text, long lineNumber)
    {
        if (text.Length == 10)
        {
            var head = BinaryPrimitives.ReadUInt64LittleEndian(text);
            var tail = BinaryPrimitives.ReadUInt16LittleEndian(text[8..]);
            if (_hasLastDate && head == _lastDateHead && tail == _lastDateTail)
            {
                return _lastDate;
            }

            if (Utf8Values.TryParseIsoDate(text, out var date))
            {
                _hasLastDate = true;
                _lastDateHead = head;
                _lastDateTail = tail;
                _lastDate = date;
                return date;
            }
        }

        throw FieldError(lineNumber, FinraWeeklyColumns.LastUpdateDate, text, "is not a date (yyyy-MM-dd)");
    }

    /// <summary>
    /// Splits a pipe record (FINRA's pipe files never quote). Returns the field count; bounds
    /// beyond the header's column count are counted but not stored.
    /// </summary>
    private int SplitPlain(ReadOnlySpan<byte> record, byte delimiter)
    {
        var starts = _fieldStarts;
        var lengths = _fieldLengths;
        var count = 0;
        var pos = 0;
        while (true)
        {
            var rest = record[pos..];
            if (count == starts.Length)
            {
                return count + 1 + rest.Count(delimiter);
            }

            var next = rest.IndexOf(delimiter);
            starts[count] = pos;
            if (next < 0)
            {
                lengths[count] = rest.Length;
                return count + 1;
            }

            lengths[count] = next;
            count++;
            pos += next + 1;
        }
    }

    /// <summary>
    /// Splits a comma record with RFC 4180 quoting into <see cref="_scratch"/> (quoted values are
    /// unescaped there). <paramref name="columns"/> names fields in errors; null for the header.
    /// </summary>
    private int SplitQuoted(ReadOnlySpan<byte> record, long lineNumber, IReadOnlyList<string>? columns)
    {
        if (_scratch.Length < record.Length)
        {
            _scratch = new byte[Math.Max(record.Length, 256)];
        }

        var scratch = _scratch.AsSpan();
        var count = 0;
        var pos = 0;
        var written = 0;
        while (true)
        {
            var fieldStart = written;
            if (pos < record.Length && record[pos] == (byte)'"')
            {
                pos++;
                while (true)
                {
                    var close = record[pos..].IndexOf((byte)'"');
                    if (close < 0)
                    {
                        // Records end at a newline outside quotes, so an open quote means the
                        // data ran out inside the value: the end of the file.
                        throw new SourceError(
                            ErrorCodes.SourceTruncated,
                            $"{SourceName}: line {lineNumber}: quoted value of field {ColumnName(columns, count)} is not closed before the end of the file (file truncated?).",
                            SourceName,
                            lineNumber,
                            ColumnName(columns, count));
                    }

                    record.Slice(pos, close).CopyTo(scratch[written..]);
                    written += close;
                    pos += close + 1;
                    if (pos < record.Length && record[pos] == (byte)'"')
                    {
                        scratch[written++] = (byte)'"';
                        pos++;
                        continue;
                    }

                    break;
                }

                StoreField(count++, fieldStart, written - fieldStart);
                if (pos == record.Length)
                {
                    return count;
                }

                if (record[pos] != (byte)',')
                {
                    throw new SourceError(
                        ErrorCodes.SourceMalformed,
                        $"{SourceName}: line {lineNumber}: field {ColumnName(columns, count - 1)} has text after its closing quote: '{Preview(record[pos..])}'.",
                        SourceName,
                        lineNumber,
                        ColumnName(columns, count - 1));
                }

                pos++;
            }
            else
            {
                var rest = record[pos..];
                var next = rest.IndexOf((byte)',');
                var value = next < 0 ? rest : rest[..next];
                value.CopyTo(scratch[written..]);
                written += value.Length;
                StoreField(count++, fieldStart, value.Length);
                if (next < 0)
                {
                    return count;
                }

                pos += next + 1;
            }
        }
    }

    private void StoreField(int index, int start, int length)
    {
        if (index < _fieldStarts.Length)
        {
            _fieldStarts[index] = start;
            _fieldLengths[index] = length;
        }
    }

    private static string ColumnName(IReadOnlyList<string>? columns, int index) =>
        columns is not null && index < columns.Count ? columns[index] : $"#{index + 1}";

    private SourceError PendingShortRowError(string code)
    {
        var layout = _layout!;
        var line = _pendingShortLine;
        var found = _pendingShortFieldCount;
        var field = layout.Columns[found];
        _pendingShortLine = 0;
        var hint = code == ErrorCodes.SourceTruncated
            ? "it is the last line of the file (file truncated?)"
            : "more rows follow it, so the file is malformed rather than cut off";
        return new SourceError(
            code,
            $"{SourceName}: line {line} has {found} of {layout.ColumnCount} fields, field {field} and those after it are missing; {hint}.",
            SourceName,
            line,
            field);
    }

    private SourceError FieldError(long lineNumber, string field, ReadOnlySpan<byte> value, string problem) =>
        new(
            ErrorCodes.SourceMalformed,
            $"{SourceName}: line {lineNumber}, field {field}: '{Preview(value)}' {problem}.",
            SourceName,
            lineNumber,
            field);

    private static string Preview(ReadOnlySpan<byte> value)
    {
        var text = Encoding.UTF8.GetString(value.Length > MaxPreviewLength ? value[..MaxPreviewLength] : value);
        return value.Length > MaxPreviewLength ? text + "..." : text;
    }

    /// <summary>Moves a partial line to the front of the buffer, growing it when one line fills it.</summary>
    private void PrepareFill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }

    private void Fill()
    {
        PrepareFill();
        int read;
        try
        {
            read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (IOException ex)
        {
            throw Unreadable(ex);
        }

        Advance(read);
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        PrepareFill();
        int read;
        try
        {
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        }
        catch (IOException ex)
        {
            throw Unreadable(ex);
        }

        Advance(read);
    }

    private void Advance(int read)
    {
        if (read == 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
        }
    }

    private SourceError Unreadable(IOException ex) =>
        new(
            ErrorCodes.SourceUnreadable,
            $"{SourceName}: reading failed after line {_linesConsumed}: {ex.Message}",
            SourceName,
            _linesConsumed,
            inner: ex);
}
