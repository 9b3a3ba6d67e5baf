namespace MarketSpine.Actors.Runtime;

/// <summary>
/// A link of a call chain that came from another silo: the activation the request ran on (activation
/// ids are unique across the cluster), the request's sequence number in its process, and its
/// description. When the chain comes back to the silo that exported the link, the link finds the very
/// message that is waiting, so a cycle A → B → A across silos fails at once as it does in one silo.
/// </summary>
internal sealed class RemoteCallLink(Guid activationId, long sequence, string description, CallLink? parent) : CallLink
{
    public Guid ActivationId { get; } = activationId;

    public long Sequence { get; } = sequence;

    public override CallLink? Parent { get; } = parent;

    public override string Describe() => description;

    public override Message? RunningIn(Activation activation, List<Message> running)
    {
        if (activation.Address.ActivationId != ActivationId)
        {
            return null;
        }

        foreach (var message in running)
        {
            if (message.ExportedSequence == Sequence)
            {
                return message;
            }
        }

        return null;
    }

    public override RemoteCallLink Export() => this;
}
