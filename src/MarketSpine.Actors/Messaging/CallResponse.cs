using System.Text.Json;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Grains;

namespace MarketSpine.Actors.Messaging;

/// <summary>
/// A decoded answer: the result as JSON of the method's result type, or an error by type name and
/// message. <see cref="Rejected"/> says that the silo refused the call without running it (it is
/// stopping or fenced off), so the caller may send it elsewhere. <see cref="AnsweredOn"/> and
/// <see cref="AnsweredActivation"/> name the activation that ran it (null when none did): a silo
/// corrects its cache of grain locations with them, and a client sends the grain's next call there.
/// </summary>
internal sealed record CallResponse(
    bool Ok, JsonElement? Result, string? ErrorType, string? ErrorMessage, bool Rejected, SiloAddress? AnsweredOn, Guid AnsweredActivation)
{
    /// <summary>The activation of <paramref name="grain"/> that answered, or null when none ran the call.</summary>
    public GrainAddress? AnsweredBy(GrainId grain) => AnsweredOn is { } silo ? new GrainAddress(grain, silo, AnsweredActivation) : null;
}
