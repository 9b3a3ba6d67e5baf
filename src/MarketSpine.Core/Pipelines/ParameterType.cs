namespace MarketSpine.Core.Pipelines;

/// <summary>The type of a pipeline parameter; values arrive as text (CLI) or JSON (API) and are parsed to it.</summary>
public enum ParameterType
{
    String,
    Integer,
    Decimal,
    Boolean,

    /// <summary>An ISO date, <c>yyyy-MM-dd</c>.</summary>
    Date,

    /// <summary>A file path; it must exist when the pipeline is validated.</summary>
    FilePath,

    /// <summary>One of the spec's allowed values, matched ignoring case, spaces, hyphens and underscores.</summary>
    Choice,
}
