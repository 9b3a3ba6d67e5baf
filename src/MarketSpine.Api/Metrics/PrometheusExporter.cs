using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace MarketSpine.Api.Metrics;

/// <summary>
/// Collects every instrument of the <c>MarketSpine.*</c> meters (the runtime's, the transport's, the
/// API's) and renders them in Prometheus' text exposition format for <c>GET /health/metrics</c>.
/// Written by hand: the registry does not serve OpenTelemetry's Prometheus exporter. Counters become
/// <c>_total</c> series, histograms cumulative <c>_bucket</c>/<c>_sum</c>/<c>_count</c> series with
/// fixed bounds, observable gauges are read at scrape time.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Bucket bounds for durations in milliseconds (and anything else a histogram records), from 0.1 ms to 60 s.</summary>
    private static readonly double[] Bounds = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();
    private readonly Lock _scrape = new();

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("MarketSpine.", StringComparison.Ordinal))
            {
                _series.TryAdd(instrument, new Series(instrument));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The text exposition of every series.</summary>
    public string Scrape()
    {
        var text = new StringBuilder();
        lock (_scrape)
        {
            foreach (var series in _series.Values.Where(s => s.IsObservable))
            {
                series.ClearGauges();
            }

            _listener.RecordObservableInstruments();
            foreach (var group in _series.Values.GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var first = group.First();
                text.Append("# HELP ").Append(first.Name).Append(' ').Append(Escape(first.Help)).Append('\n');
                text.Append("# TYPE ").Append(first.Name).Append(' ').Append(first.Kind).Append('\n');
                foreach (var series in group)
                {
                    series.Render(text);
                }
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return builder.ToString();
    }

    /// <summary>One instrument's values, per set of tags.</summary>
    private sealed class Series(Instrument instrument)
    {
        private readonly ConcurrentDictionary<string, Cell> _cells = new(StringComparer.Ordinal);
        private readonly string _meterLabels = Labels(instrument.Meter.Tags ?? []);

        public bool IsObservable { get; } = instrument.IsObservable;

        public string Name { get; } = Sanitize(instrument.Name) + instrument switch
        {
            Histogram<double> or Histogram<long> or Histogram<int> when instrument.Unit == "ms" => "_milliseconds",
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => "_total",
            _ => "",
        };

        public string Kind { get; } = instrument switch
        {
            Histogram<double> or Histogram<long> or Histogram<int> => "histogram",
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => "counter",
            _ => "gauge",
        };

        public string Help { get; } = instrument.Description ?? instrument.Name;

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            var cell = _cells.GetOrAdd(labels, static (_, kind) => new Cell(kind == "histogram"), Kind);
            cell.Add(value, Kind);
        }

        public void ClearGauges()
        {
            if (Kind == "gauge")
            {
                _cells.Clear();
            }
        }

        public void Render(StringBuilder text)
        {
            foreach (var (labels, cell) in _cells.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                var all = Join(_meterLabels, labels);
                if (cell.Buckets is { } buckets)
                {
                    long cumulative = 0;
                    for (var i = 0; i < Bounds.Length; i++)
                    {
                        cumulative += Interlocked.Read(ref buckets[i]);
                        Line(text, Name + "_bucket", Join(all, $"le=\"{Bounds[i].ToString(CultureInfo.InvariantCulture)}\""), cumulative);
                    }

                    Line(text, Name + "_bucket", Join(all, "le=\"+Inf\""), cell.Count);
                    Line(text, Name + "_sum", all, cell.Sum);
                    Line(text, Name + "_count", all, cell.Count);
                }
                else
                {
                    Line(text, Name, all, cell.Sum);
                }
            }
        }

        private static void Line(StringBuilder text, string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
            {
                text.Append('{').Append(labels).Append('}');
            }

            text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        private static string Join(string left, string right) => left.Length == 0 ? right : right.Length == 0 ? left : left + "," + right;

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return "";
            }

            var pairs = new List<string>(tags.Length);
            foreach (var (key, value) in tags)
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                pairs.Add($"{Sanitize(key)}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
            }

            pairs.Sort(StringComparer.Ordinal);
            return string.Join(',', pairs);
        }

        private static string Labels(IEnumerable<KeyValuePair<string, object?>> tags) => Labels([.. tags]);
    }

    /// <summary>A running sum (counters, gauges: the last value) and, for histograms, bucket counts.</summary>
    private sealed class Cell(bool histogram)
    {
        private readonly Lock _lock = new();
        private double _sum;
        private long _count;

        public long[]? Buckets { get; } = histogram ? new long[Bounds.Length] : null;

        public double Sum
        {
            get
            {
                lock (_lock)
                {
                    return _sum;
                }
            }
        }

        public long Count => Interlocked.Read(ref _count);

        public void Add(double value, string kind)
        {
            lock (_lock)
            {
                _sum = kind == "gauge" ? value : _sum + value;
            }

            if (Buckets is { } buckets)
            {
                Interlocked.Increment(ref _count);
                var index = Array.BinarySearch(Bounds, value);
                index = index >= 0 ? index : ~index;
                if (index < Bounds.Length)
                {
                    Interlocked.Increment(ref buckets[index]);
                }
            }
        }
    }
}
