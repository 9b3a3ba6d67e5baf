using System.Text;
using System.Text.Json;
using MarketSpine.Actors.Metrics;

namespace MarketSpine.Actors.Messaging;

/// <summary>
/// The request for a silo's statistics, sent to every silo by a cluster-statistics call. It travels
/// like a grain call but runs no grain: a silo answers it from its metrics, even while it is stopping.
/// </summary>
internal static class StatisticsRequest
{
    // A grain call's payload always begins with its mode, so this exact payload can never be one.
    private static readonly byte[] s_payload = Encoding.UTF8.GetBytes("""{"mode":"statistics"}""");

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web);

    public static ReadOnlyMemory<byte> Payload => s_payload;

    public static bool Is(ReadOnlyMemory<byte> request) => request.Span.SequenceEqual(s_payload);

    public static byte[] EncodeAnswer(SiloStatistics statistics) => JsonSerializer.SerializeToUtf8Bytes(statistics, s_options);

    public static SiloStatistics DecodeAnswer(byte[] answer) =>
        JsonSerializer.Deserialize<SiloStatistics>(answer, s_options) ?? throw new JsonException("A silo answered its statistics with null.");
}
