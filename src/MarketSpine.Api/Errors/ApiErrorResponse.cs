using MarketSpine.Core.Errors;

namespace MarketSpine.Api.Errors;

/// <summary>Every error the API answers: <c>{"error": {"code", "message", "details"}}</c>.</summary>
public sealed record ApiErrorResponse(ErrorInfo Error);
