using System.Text.Json;

namespace MarketSpine.Actors.Hosting;

/// <summary>The silo's settings. Defaults follow Orleans where Orleans has one.</summary>
public sealed class ActorsOptions
{
    /// <summary>The silo's name (Kubernetes: the pod name); with the start time it makes the silo's address.</summary>
    public string SiloName { get; set; } = Environment.MachineName;

    /// <summary>How long a caller waits for an answer unless the method has a <c>[ResponseTimeout]</c> (Orleans: 30 s).</summary>
    public TimeSpan DefaultCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often overdue calls are looked for. A call times out between its timeout and its timeout
    /// plus this interval; one sweep instead of a timer per call keeps a call's cost flat.
    /// </summary>
    public TimeSpan CallTimeoutCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an activation may sit idle before it is collected (Orleans: 15 min).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for (Orleans: 1 min).</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long <c>OnDeactivateAsync</c> may run before its token is cancelled.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How states, and copied call arguments, are serialized.</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.General);

    public ReminderOptions Reminders { get; } = new();

    /// <summary>Membership, failure detection and endpoints; used once clustering is configured.</summary>
    public ClusterOptions Cluster { get; } = new();

    internal void Validate()
    {
        static void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
            }
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(SiloName);
        Positive(DefaultCallTimeout, nameof(DefaultCallTimeout));
        Positive(CallTimeoutCheckInterval, nameof(CallTimeoutCheckInterval));
        Positive(CollectionAge, nameof(CollectionAge));
        Positive(CollectionQuantum, nameof(CollectionQuantum));
        Positive(DeactivationTimeout, nameof(DeactivationTimeout));
        Positive(Reminders.PollInterval, "Reminders.PollInterval");
        ArgumentOutOfRangeException.ThrowIfLessThan(Reminders.BatchSize, 1, "Reminders.BatchSize");
        if (Reminders.ClaimLease <= DefaultCallTimeout * 2)
        {
            throw new ArgumentOutOfRangeException("Reminders.ClaimLease", Reminders.ClaimLease,
                "Reminders.ClaimLease must exceed twice the call timeout: a claim that ends while its tick is still being delivered lets another silo deliver it again.");
        }
    }
}
