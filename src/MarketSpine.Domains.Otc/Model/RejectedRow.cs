namespace MarketSpine.Domains.Otc.Model;

/// <summary>A row the normalizer refused: which line, a stable reason code, words, and the line as published.</summary>
public sealed record RejectedRow(long SourceLine, string ReasonCode, string ReasonDetail, string RawLine);
