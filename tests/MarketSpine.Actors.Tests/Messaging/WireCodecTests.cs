using System.Text.Json;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Messaging;
using MarketSpine.Actors.Runtime;
using MarketSpine.Actors.Tests.TestGrains;

namespace MarketSpine.Actors.Tests.Messaging;

public sealed class WireCodecTests
{
    private static readonly WireCodec Codec = new(new JsonSerializerOptions(JsonSerializerDefaults.General));

    [Fact]
    public void A_request_carries_its_header_call_chain_and_arguments_as_their_declared_types()
    {
        var outer = Guid.NewGuid();
        var inner = Guid.NewGuid();
        var chain = new RemoteCallLink(inner, 7, "ChainGrain/b.Relay", new RemoteCallLink(outer, 3, "ChainGrain/a.Relay", null));
        var header = new RequestHeader(CallMode.Execute, "ledger", "k1", "Ns.ILedgerGrain::Append(System.Int32)", TimeSpan.FromSeconds(12.5), 1);

        var payload = Codec.EncodeRequest(header, chain, [42, new Tally { Count = 2, Notes = ["x"] }], [typeof(int), typeof(Tally)]);
        using var request = WireCodec.DecodeRequest(payload);

        Assert.Equal(header with { Timeout = TimeSpan.FromMilliseconds(12_500) }, request.Header);
        Assert.Equal("Ns.ILedgerGrain", request.Header.Interface);
        var links = new List<(Guid, long, string)>();
        for (var link = request.Parent; link is not null; link = link.Parent)
        {
            var exported = link.Export()!;
            links.Add((exported.ActivationId, exported.Sequence, exported.Describe()));
        }

        Assert.Equal([(inner, 7L, "ChainGrain/b.Relay"), (outer, 3L, "ChainGrain/a.Relay")], links);
        Assert.Equal(42, request.Arguments[0].Deserialize<int>());
        Assert.Equal(["x"], request.Arguments[1].Deserialize<Tally>()!.Notes);
    }

    [Fact]
    public void An_answer_carries_a_result_or_an_error_and_the_activation_that_gave_it()
    {
        var grain = new GrainId("ledger", "k1");
        var answeredBy = new GrainAddress(grain, new SiloAddress("silo-2", 1_700_000_000_000), Guid.NewGuid());

        var ok = WireCodec.DecodeResponse(Codec.EncodeResult(5, typeof(int), answeredBy));
        var error = WireCodec.DecodeResponse(WireCodec.EncodeError(new InvalidOperationException("boom"), rejected: true, answeredBy: null));
        var nothing = WireCodec.DecodeResponse(Codec.EncodeResult(null, typeof(object), answeredBy));

        Assert.Equal((true, 5, answeredBy, answeredBy.Silo), (ok.Ok, ok.Result!.Value.GetInt32(), ok.AnsweredBy(grain), ok.AnsweredOn));
        Assert.Equal((false, "System.InvalidOperationException", "boom", true, (GrainAddress?)null, (SiloAddress?)null),
            (error.Ok, error.ErrorType, error.ErrorMessage, error.Rejected, error.AnsweredBy(grain), error.AnsweredOn));
        Assert.Equal(JsonValueKind.Null, nothing.Result!.Value.ValueKind);
    }

    /// <summary>Encoders reuse one writer per thread: a payload never carries bytes of the one before, even one that failed halfway.</summary>
    [Fact]
    public void Payloads_encoded_one_after_another_on_a_thread_are_each_complete_and_their_own()
    {
        var header = new RequestHeader(CallMode.Route, null, "k", "Ns.ILedgerGrain::Append(System.Int32)", TimeSpan.FromSeconds(1), 0);
        var big = new Tally { Count = 1, Notes = [new string('x', 100_000)] };

        Assert.Throws<NotSupportedException>(() => Codec.EncodeRequest(header, null, [new Unserializable()], [typeof(Unserializable)]));
        var first = Codec.EncodeRequest(header, null, [big], [typeof(Tally)]);
        var second = Codec.EncodeRequest(header with { Key = "k2" }, null, [7], [typeof(int)]);

        using var decodedFirst = WireCodec.DecodeRequest(first);
        using var decodedSecond = WireCodec.DecodeRequest(second);
        Assert.Equal(100_000, decodedFirst.Arguments[0].Deserialize<Tally>()!.Notes[0].Length);
        Assert.Equal(("k2", 7), (decodedSecond.Header.Key, decodedSecond.Arguments[0].GetInt32()));
    }

    private sealed class Unserializable
    {
        public Action Callback { get; } = () => { };
    }
}
