using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace MarketSpine.Cli.Hosting;

/// <summary>
/// Writes log events to the CLI's error writer rather than to <see cref="Console"/>, so a caller
/// that runs the CLI in-process (the tests) captures them. The served Serilog packages carry no
/// TextWriter sink, and this is all one needs to be.
/// </summary>
internal sealed class TextWriterLogSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
