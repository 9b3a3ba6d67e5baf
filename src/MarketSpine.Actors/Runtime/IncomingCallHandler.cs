using System.Text.Json;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Grains;
using MarketSpine.Actors.Messaging;
using MarketSpine.Actors.Transport;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// Serves the calls that reach this silo over the transport: from other silos (to run here) and from
/// clients (to route, this silo being their gateway). A request becomes an ordinary call with the
/// caller's remaining time and call chain, goes through the router, and its answer, or its error by
/// type name and message, goes back with the activation that answered.
/// </summary>
internal sealed class IncomingCallHandler(SiloRuntime runtime) : IRequestHandler
{
    public async ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        if (StatisticsRequest.Is(request))
        {
            return StatisticsRequest.EncodeAnswer(runtime.GetStatistics());
        }

        var wire = runtime.Cluster!.Wire;
        GrainClass grainClass;
        GrainCall call;
        CallMode mode;
        try
        {
            using var decoded = WireCodec.DecodeRequest(request);
            var header = decoded.Header;
            grainClass = FindClass(header);
            var method = grainClass.MethodsByWireName.GetValueOrDefault(header.Method)
                         ?? throw new GrainRuntimeException($"Grain class {grainClass.TypeName} has no method {header.Method}: is this silo running an older version?");
            var arguments = new object?[method.ParameterTypes.Count];
            for (var i = 0; i < arguments.Length; i++)
            {
                arguments[i] = decoded.Arguments[i].Deserialize(method.ParameterTypes[i], wire.Options);
            }

            var deadline = runtime.Time.GetTimestamp() + runtime.ToTimestampTicks(header.Timeout);
            call = method.CreateCall(new GrainId(grainClass.TypeName, header.Key), arguments, decoded.Parent, deadline);
            call.Forwards = header.Forwards;
            mode = header.Mode;
        }
        catch (Exception exception)
        {
            return WireCodec.EncodeError(exception, rejected: false, answeredBy: null);
        }

        runtime.Router.DeliverIncoming(grainClass, call, mode);
        try
        {
            var result = await call.AnswerAsync();
            return wire.EncodeResult(result, call.Method.ResultType, call.AnsweredBy);
        }
        catch (Exception exception)
        {
            return WireCodec.EncodeError(exception, call.Rejected, call.AnsweredBy);
        }
    }

    private GrainClass FindClass(RequestHeader header)
    {
        if (header.GrainType is { } typeName)
        {
            return runtime.Registry.FindByTypeName(typeName)
                   ?? throw new GrainRuntimeException($"This silo has no grain class with the type name '{typeName}'.");
        }

        var grainInterface = runtime.Registry.FindInterface(header.Interface)
                             ?? throw new GrainRuntimeException($"This silo has no grain class implementing {header.Interface}.");
        return runtime.Registry.ForInterface(grainInterface);
    }
}
