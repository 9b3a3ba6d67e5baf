using System.Text.Json;
using MarketSpine.Actors.Directory;

namespace MarketSpine.Actors.Messaging;

/// <summary>
/// A decoded answer: the result as JSON of the method's result type, or an error by type name and
/// message. <see cref="Rejected"/> says that the silo refused the call without running it (it is
/// stopping or fenced off), so the caller may send it elsewhere. <see cref="AnsweredBy"/> is the
/// activation that ran it, which corrects the caller's cache of grain locations.
/// </summary>
internal sealed record CallResponse(bool Ok, JsonElement? Result, string? ErrorType, string? ErrorMessage, bool Rejected, GrainAddress? AnsweredBy);
