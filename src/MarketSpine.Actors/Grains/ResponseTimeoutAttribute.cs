namespace MarketSpine.Actors.Grains;

/// <summary>
/// On a grain interface method: overrides the silo's default call timeout for it.
/// <paramref name="timeout"/> is a <see cref="TimeSpan"/> text such as <c>"00:02:00"</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class ResponseTimeoutAttribute(string timeout) : Attribute
{
    public TimeSpan Timeout { get; } = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture);
}
