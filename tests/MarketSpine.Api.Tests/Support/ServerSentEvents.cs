using System.Text;

namespace MarketSpine.Api.Tests.Support;

/// <summary>One Server-Sent Events message: its id, event name and data.</summary>
public sealed record SseMessage(string? Id, string Event, string Data);

/// <summary>Reads a <c>text/event-stream</c> answer message by message (the format's rules: fields per line, a blank line ends a message, ':' starts a comment).</summary>
public static class ServerSentEvents
{
    public static async IAsyncEnumerable<SseMessage> ReadAsync(Stream stream, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? id = null;
        var name = "message";
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return new SseMessage(id, name, data.ToString());
                }

                name = "message";
                data.Clear();
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    name = value;
                    break;
                case "data":
                    data.Append(data.Length > 0 ? "\n" : "").Append(value);
                    break;
            }
        }
    }
}
