namespace MarketSpine.Core.Errors;

/// <summary>Stable error codes. API v1 changes are additive only: never rename one.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string PipelineNotFound = "PIPELINE_NOT_FOUND";
    public const string ExecutionNotFound = "EXECUTION_NOT_FOUND";
    public const string CaptureNotFound = "CAPTURE_NOT_FOUND";
    public const string InvalidState = "INVALID_STATE";
    public const string Internal = "INTERNAL";

    /// <summary>The silo running an attempt died mid-run; the attempt is retried by policy.</summary>
    public const string Orphaned = "ORPHANED";

    /// <summary>A run outlived its time limit and was stopped.</summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>A submission with the reject policy found its logical key held.</summary>
    public const string LogicalKeyHeld = "LOGICAL_KEY_HELD";
    public const string DeadLetterNotFound = "DEAD_LETTER_NOT_FOUND";
    public const string Cancelled = "CANCELLED";

    /// <summary>HTTP: no resource at that path (an unknown route, as opposed to an unknown execution).</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>HTTP: the path exists, the method does not.</summary>
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    /// <summary>HTTP: the request body is over the server's limit.</summary>
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";

    /// <summary>HTTP: the body is not JSON (Content-Type).</summary>
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";

    /// <summary>HTTP: a limit on concurrent use (event streams) is reached; try again later.</summary>
    public const string RateLimited = "RATE_LIMITED";

    /// <summary>The cluster could not be reached, or a silo failed mid-call: the request may be retried.</summary>
    public const string Unavailable = "UNAVAILABLE";

    public const string SourceNotFound = "SOURCE_NOT_FOUND";
    public const string SourceHeaderMismatch = "SOURCE_HEADER_MISMATCH";
    public const string SourceMalformed = "SOURCE_MALFORMED";
    public const string SourceTruncated = "SOURCE_TRUNCATED";
    public const string SourceEmpty = "SOURCE_EMPTY";
    public const string SourceUnreadable = "SOURCE_UNREADABLE";

    public const string WeekUndetermined = "WEEK_UNDETERMINED";

    public const string LoadFailed = "LOAD_FAILED";
    public const string CaptureConflict = "CAPTURE_CONFLICT";

    public const string QualityGateFailed = "QUALITY_GATE_FAILED";

    public const string MigrationChecksumMismatch = "MIGRATION_CHECKSUM_MISMATCH";
    public const string SchemaAhead = "SCHEMA_AHEAD";
}
