using System.Globalization;
using System.Text;
using MarketSpine.Core.Data;

namespace MarketSpine.Benchmarks.PgLoad;

/// <summary>
/// An <see cref="IBulkInsert"/> that writes its rows to a file in PostgreSQL's CSV format, for
/// psql's <c>\copy ... WITH (FORMAT csv)</c>. Fed by the production code that bulk-loads a
/// table, it makes psql load exactly the values our binary COPY sends, in the same column order.
/// </summary>
public sealed class CsvBulkInsert(string path, int columnCount) : IBulkInsert
{
    private readonly StreamWriter _writer = new(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
    private int _column = -1;
    private long _rows;

    public ValueTask StartRowAsync(CancellationToken cancellationToken)
    {
        EndRow();
        _column = 0;
        _rows++;
        return ValueTask.CompletedTask;
    }

    public void Write(string? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        Separate();
        // Unquoted empty is NULL in CSV, so an empty string is quoted; so is "\.", which would
        // otherwise end the data.
        if (value.Length == 0 || value == "\\." || value.AsSpan().IndexOfAny(",\"\n\r") >= 0)
        {
            _writer.Write('"');
            _writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            _writer.Write('"');
        }
        else
        {
            _writer.Write(value);
        }
    }

    public void Write(long value) => WriteFormatted(value, default);

    public void Write(int value) => WriteFormatted(value, default);

    public void Write(decimal? value)
    {
        if (value is { } d)
        {
            WriteFormatted(d, default);
        }
        else
        {
            WriteNull();
        }
    }

    public void Write(DateOnly value) => WriteFormatted(value, "yyyy-MM-dd");

    // The binary COPY sends timestamptz as UTC microseconds; this is the same instant in text.
    public void Write(DateTimeOffset value) => WriteFormatted(value.ToUniversalTime(), "yyyy-MM-dd HH:mm:ss.ffffffzzz");

    public void WriteNull() => Separate();

    public async ValueTask<long> CompleteAsync(CancellationToken cancellationToken)
    {
        EndRow();
        await _writer.FlushAsync(cancellationToken);
        return _rows;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private void WriteFormatted<T>(T value, ReadOnlySpan<char> format)
        where T : ISpanFormattable
    {
        Separate();
        Span<char> text = stackalloc char[64];
        if (!value.TryFormat(text, out var written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{value} does not fit the CSV field buffer.");
        }

        _writer.Write(text[..written]);
    }

    private void Separate()
    {
        if (_column < 0 || _column >= columnCount)
        {
            throw new InvalidOperationException($"CSV bulk insert: StartRowAsync first, then exactly {columnCount} values per row.");
        }

        if (_column++ > 0)
        {
            _writer.Write(',');
        }
    }

    private void EndRow()
    {
        if (_column < 0)
        {
            return;
        }

        if (_column != columnCount)
        {
            throw new InvalidOperationException($"CSV bulk insert: row {_rows} has {_column} values, expected {columnCount}.");
        }

        _writer.Write('\n');
        _column = -1;
    }
}
